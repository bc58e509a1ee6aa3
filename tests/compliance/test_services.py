"""The compliance services: one transaction each, an actor and a reason on every history row,
and nothing saved when they refuse."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import services
from compliance.models import Attestation, CustomComplianceRule, EvidenceFile
from facilities.history import UntrackedWriteError
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory

PDF = b"%PDF-1.4\n%%EOF\n"
ADDRESSABLE = "HIPAA-164.308(a)(3)(ii)(A)"


def _attest(organization, actor, **overrides):
    data = {
        "actor": actor,
        "organization": organization,
        "facility": None,
        "requirement_code": ADDRESSABLE,
        "outcome": "implemented",
        "attested_on": organization.today(),
        "via": "test",
    }
    data.update(overrides)
    return services.attestation_create(**data)


@pytest.mark.django_db
def test_attestation_create_keeps_nothing_when_one_of_its_files_is_refused(evidence_root):
    organization = OrganizationFactory()
    files = [
        SimpleUploadedFile("good.pdf", PDF),
        SimpleUploadedFile("bad.pdf", b"<html></html>"),
    ]

    with pytest.raises(ValidationError) as raised:
        _attest(organization, UserFactory(), evidence=files)

    assert raised.value.code == "wrong_type"
    assert not Attestation.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not Attestation.history.exists()


@pytest.mark.django_db
def test_attestation_create_refuses_a_future_date():
    organization = OrganizationFactory()

    with pytest.raises(ValidationError) as raised:
        _attest(
            organization,
            UserFactory(),
            attested_on=organization.today() + datetime.timedelta(days=1),
        )

    assert raised.value.message_dict == {
        "attested_on": ["An attestation cannot be dated in the future."]
    }
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_attestation_create_refuses_a_facility_of_another_organization():
    organization = OrganizationFactory()
    foreign = FacilityFactory()

    with pytest.raises(ValidationError) as raised:
        _attest(organization, UserFactory(), facility=foreign)

    assert raised.value.message_dict == {"facility": ["Choose a facility of this organization."]}


@pytest.mark.django_db
def test_evidence_attach_refuses_a_record_of_another_organization(evidence_root):
    licence = FacilityLicenseFactory()

    with pytest.raises(ValidationError) as raised:
        services.evidence_attach(
            actor=UserFactory(),
            organization=OrganizationFactory(),
            upload=SimpleUploadedFile("a.pdf", PDF),
            license=licence,
            via="test",
        )

    assert raised.value.messages == ["Evidence must belong to a record of this organization."]
    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_evidence_files_are_never_overwritten(evidence_root):
    attestation = AttestationFactory()
    evidence = services.evidence_attach(
        actor=attestation.attested_by,
        organization=attestation.organization,
        upload=SimpleUploadedFile("a.pdf", PDF),
        attestation=attestation,
        via="test",
    )
    evidence.original_name = "renamed.pdf"

    with pytest.raises(UntrackedWriteError):
        evidence.save()

    assert EvidenceFile.objects.get().original_name == "a.pdf"


@pytest.mark.django_db
def test_custom_rule_save_versions_a_change_and_ignores_a_save_without_one():
    organization = OrganizationFactory()
    actor = UserFactory()
    data = {
        "code": "CUSTOM-A",
        "name": "A",
        "description": "",
        "country": None,
        "state": None,
        "logic": {"require": {"accredited": {"body": "JCI"}}},
    }
    rule = services.custom_rule_save(actor=actor, organization=organization, data=data, via="web")

    services.custom_rule_save(
        actor=actor, organization=organization, data=data, rule=rule, via="web"
    )
    services.custom_rule_save(
        actor=actor,
        organization=organization,
        data={**data, "logic": {"require": {"accredited": {"body": "TJC"}}}},
        rule=rule,
        via="web",
        note="TJC",
    )

    assert list(
        CustomComplianceRule.history.filter(id=rule.pk)
        .order_by("history_id")
        .values_list("version", "history_change_reason", "history_user")
    ) == [
        (1, "web: custom rule create", actor.pk),
        (2, "web: custom rule edit — TJC", actor.pk),
    ]


@pytest.mark.django_db
def test_custom_rule_dry_run_saves_nothing():
    organization = OrganizationFactory()
    FacilityFactory(organization=organization, bed_count=500)
    rule = CustomComplianceRuleFactory(organization=organization)
    history = CustomComplianceRule.history.count()

    rows = services.custom_rule_dry_run(organization=organization, logic=rule.logic)

    assert [(row.applies, row.met) for row in rows] == [(True, False)]
    assert CustomComplianceRule.history.count() == history
    assert CustomComplianceRule.objects.get().logic == rule.logic
