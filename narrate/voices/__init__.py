"""Voices: who says what in which voice.

``engines/`` are the TTS engines behind one interface and a registry, ``config`` reads user
voices and presets, ``casting`` gives each character a voice (and saves a show's cast),
``voicing`` turns a voice id into audio, ``lexicon`` holds a show's pronunciations.
"""
