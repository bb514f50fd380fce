"""Monitoring and assessment of the SOPs (*monitoring dan evaluasi SOP*).

An app of its own, below ``permits`` and ``feedback``, because it only reads: performance
figures computed from tasks, clocks and applications (on-time rates, step durations against
their norms, bottlenecks, backlog), the six-monthly monitoring of SOP implementation
(Permenpan RB 35/2012, Tabel 7) and the public transparency page. Nothing in the workflow
depends on it, and it depends on everything it measures (ARCHITECTURE.md: "reports read tasks
and clocks; they never recompute the workflow")."""
