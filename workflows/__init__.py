"""SOPs as data and the machinery that runs them.

An SOP (*Standar Operasional Prosedur*, Permenpan RB 35/2012) is a numbered sequence of steps, each
with its performer (*pelaksana*), the documents it needs (*kelengkapan*), its time norm (*waktu*)
and its output; the three together are the *mutu baku* (quality standard) of the step. This app
keeps SOPs in immutable published versions, and (in later modules) the working calendar, the
engine that turns steps into tasks, decree documents and SOP performance figures. It never
imports ``permits``."""
