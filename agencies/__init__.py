"""The one-stop office (DPMPTSP) and the technical agencies (*OPD teknis*, *Organisasi Perangkat
Daerah*: the provincial departments that give technical recommendations and verifications), and
who works where in which role."""
