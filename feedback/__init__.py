"""The public's voice on the services: the satisfaction survey (*Survei Kepuasan Masyarakat*,
SKM, Permenpan RB 14/2017) and complaints (*pengaduan*).

An app of its own, below ``permits``: both take input from anyone (anonymous complaints,
walk-in paper surveys), have their own numbering, forms and response clocks, and are answered
by the complaints and reporting unit rather than by an SOP step. ``permits`` does not import
it; it hears of finished applications through ``permits.signals``."""
