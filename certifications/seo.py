"""schema.org data for the certification page (rendered by the `jsonld` template tag)."""

from django.urls import reverse

from careers.templatetags.jsonld import breadcrumb_list


def credential(certification, *, site_url: str) -> dict:
    """An EducationalOccupationalCredential describing one public certification."""
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": certification.name,
        "description": certification.summary,
        "credentialCategory": "certification",
        "educationalLevel": certification.get_level_display(),
        "url": site_url + certification.get_absolute_url(),
        "recognizedBy": {"@type": "Organization", "name": certification.provider.name},
        "offers": {
            "@type": "Offer",
            "price": str(certification.exam_fee if certification.exam_fee is not None else 0),
            "priceCurrency": certification.fee_currency,
        },
    }
    if certification.exam_code:
        data["identifier"] = certification.exam_code
    if certification.provider.website:
        data["recognizedBy"]["url"] = certification.provider.website
    if certification.validity_months:
        data["validFor"] = f"P{certification.validity_months}M"
    return data


def breadcrumbs(certification, *, site_url: str) -> dict:
    """A BreadcrumbList: Home > Certifications > this certification."""
    trail = [
        ("Home", reverse("home")),
        ("Certifications", reverse("certifications:list")),
        (certification.name, certification.get_absolute_url()),
    ]
    return breadcrumb_list(trail, site_url=site_url)
