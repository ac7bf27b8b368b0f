"""Audio: cast Script -> synthesised segments -> mastered, tagged MP3 and its sidecars.

``render`` speaks segments through ``cache`` on an ``executors`` pool, ``master`` assembles them
with ``music`` to the loudness ``loudness`` measures, ``export`` encodes and ``tags`` the MP3,
``transcript`` writes the timed text and ``check`` listens back. ``pcm`` is the shared sample
type. Submodules are imported on use: importing this package loads nothing heavy.
"""
