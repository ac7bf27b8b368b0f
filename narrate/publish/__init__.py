"""Publishing: rendered episodes -> a podcast feed, a show page and a server.

``episode`` is the metadata beside each MP3, ``show`` the show's config, ``feed`` writes the
RSS feed that ``feed_check`` checks against Apple's requirements, ``site`` the show page,
``cover`` the artwork, ``serve`` an HTTP server with byte ranges.
"""
