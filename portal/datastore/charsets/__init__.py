"""The legacy Vietnamese encodings (TCVN3, VNI) as Python codecs, and a measure of how
Vietnamese a text looks. The public door is `portal.datastore.encodings`."""
