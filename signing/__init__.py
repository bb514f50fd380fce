"""Electronic signatures (*tanda tangan elektronik*, TTE) of the portal's documents: the signer
interface (``signing.base``), its local PKCS#12 backend (``signing.local``), its remote backend
shaped like a national e-signature service (``signing.remote``) with a local double server for
tests (``signing.double``), the demo certificate authority (``signing.demo``) and offline
validation (``signing.validation``).

It stands apart from ``permits`` and ``workflows`` because keys, certificates and the signing
service are their own domain: they belong to officials, not to applications; they are kept and
rotated by other people (BSrE for government officials, PP 71/2019 art. 59-60 on certified
electronic signatures); and the documents that get signed come from several apps (the permit,
the rejection letter, the decree). It imports nothing from the apps above it: callers hand it
PDF bytes and the official, and get signed bytes back, or a :class:`signing.base.SigningError`
with a message for the official.
"""
