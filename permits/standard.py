"""The 14 components of a service standard (*standar pelayanan*, Permenpan RB 15/2014).

In the regulation's order (Permenpan RB No. 15/2014 on the guideline for service standards,
Lampiran: the components related to service delivery — persyaratan; sistem, mekanisme dan
prosedur; jangka waktu penyelesaian; biaya/tarif; produk pelayanan; penanganan pengaduan, saran
dan masukan — then those related to the process inside the organisation (manufacturing) — dasar
hukum; sarana dan prasarana, dan/atau fasilitas; kompetensi pelaksana; pengawasan internal;
jumlah pelaksana; jaminan pelayanan; jaminan keamanan dan keselamatan pelayanan; evaluasi kinerja
pelaksana). Components 1-6 are the ones the regulation requires to be published; the public
service page shows all 14 (``public`` marks 1-6 in the API). Some come from the service's own
fields (requirements, time, fee, product, legal basis); the rest are free texts kept on the
service, keyed as in the interchange format's ``service.standard`` object."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Component:
    no: int
    key: str
    label: str
    public: bool
    free_text: bool  # kept as a text in ``Service.standard_<key>``


COMPONENTS = (
    Component(1, "requirements", _("Requirements"), True, False),
    Component(2, "procedure", _("System, mechanism and procedure"), True, True),
    Component(3, "service_time", _("Completion time"), True, False),
    Component(4, "fee", _("Fee"), True, False),
    Component(5, "product", _("Service product"), True, False),
    Component(6, "complaints", _("Handling of complaints, suggestions and feedback"), True, True),
    Component(7, "legal_basis", _("Legal basis"), False, False),
    Component(8, "facilities", _("Facilities and infrastructure"), False, True),
    Component(9, "competence", _("Competence of the staff"), False, True),
    Component(10, "supervision", _("Internal supervision"), False, True),
    Component(11, "staffing", _("Number of staff"), False, True),
    Component(12, "guarantee", _("Service guarantee"), False, True),
    Component(13, "security", _("Security and safety guarantee"), False, True),
    Component(14, "evaluation", _("Evaluation of staff performance"), False, True),
)

FREE_TEXT_KEYS = tuple(c.key for c in COMPONENTS if c.free_text)
