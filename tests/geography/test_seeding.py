from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from geography import catalog
from geography.models import Country, District, State
from geography.seeding import seed_reference_data


def _snapshot() -> dict[str, set[tuple]]:
    return {
        "countries": set(Country.objects.values_list("pk", "code", "name", "regulatory_authority")),
        "states": set(State.objects.values_list("pk", "code", "name", "country_id", "kind")),
        "districts": set(District.objects.values_list("pk", "state_id", "official_code", "name")),
    }


@pytest.mark.django_db
def test_seeding_creates_every_subdivision_per_country():
    states_per_country = Counter(State.objects.values_list("country__code", flat=True))

    assert states_per_country == {"US": 57, "BR": 27, "IN": 36}
    assert Counter(State.objects.filter(country__code="IN").values_list("kind", flat=True)) == {
        "state": 28,
        "union_territory": 8,
    }
    assert State.objects.get(code="BR-DF").kind == "federal_district"
    assert State.objects.filter(country__code="US", kind="outlying_area").count() == 6


@pytest.mark.django_db
def test_seeding_creates_districts_for_all_three_countries():
    districts_per_country = Counter(District.objects.values_list("state__country__code", flat=True))

    assert districts_per_country["US"] >= 3200
    assert districts_per_country["BR"] == 5571
    assert districts_per_country["IN"] >= 740
    assert District.objects.get(official_code="06037").state.code == "US-CA"
    assert District.objects.get(official_code="3550308").name == "São Paulo"
    assert District.objects.get(official_code="3550308").state.code == "BR-SP"
    boa_esperanca = District.objects.get(name="Boa Esperança do Norte")
    assert (boa_esperanca.state.code, boa_esperanca.official_code) == ("BR-MT", "")


@pytest.mark.django_db
def test_seeding_puts_every_district_under_its_own_country():
    pairs = set(District.objects.values_list("state__code", "state__country__code").distinct())
    expected_states = {entry.state_code for entry in catalog.districts()}

    assert {state_code for state_code, _ in pairs} == expected_states
    assert all(state_code.split("-")[0] == country for state_code, country in pairs)
    # IBGE codes start with the state's two-digit code: 35 is São Paulo, 33 Rio de Janeiro.
    assert not District.objects.filter(state__code="BR-SP").exclude(official_code__startswith="35")
    assert not District.objects.filter(state__code="BR-RJ").exclude(official_code__startswith="33")
    # FIPS codes start with the state's FIPS code: 06 is California, 48 Texas.
    assert not District.objects.filter(state__code="US-CA").exclude(official_code__startswith="06")
    assert not District.objects.filter(state__code="US-TX").exclude(official_code__startswith="48")


@pytest.mark.django_db
def test_seeding_twice_changes_nothing_and_keeps_primary_keys():
    before = _snapshot()

    with transaction.atomic():
        report = seed_reference_data(Country, State, District)

    assert not report.changed
    assert _snapshot() == before


@pytest.mark.django_db
def test_seeding_updates_a_renamed_entry_in_place():
    state = State.objects.get(code="IN-KA")
    state.name = "Mysore State"
    state.save()
    county = District.objects.get(official_code="48201")
    county.name = "Harris (old name)"
    county.save()
    renamed = District.objects.get(state__code="IN-HR", name="Gurugram")
    renamed.name = "Gurgaon"
    renamed.save()
    before = _snapshot()

    with transaction.atomic():
        report = seed_reference_data(Country, State, District)

    assert report.updated == {"countries": 0, "states": 1, "districts": 2}
    assert report.created == {"countries": 0, "states": 0, "districts": 0}
    assert State.objects.get(pk=state.pk).name == "Karnataka"
    assert District.objects.get(pk=county.pk).name == "Harris County"
    assert District.objects.get(pk=renamed.pk).name == "Gurugram"
    assert {pk for pk, *_ in _snapshot()["districts"]} == {pk for pk, *_ in before["districts"]}


@pytest.mark.django_db
def test_seeding_renames_a_retired_state_code_in_place():
    telangana = State.objects.get(code="IN-TS")
    telangana.code = "IN-TG"
    telangana.save()

    with transaction.atomic():
        seed_reference_data(Country, State, District)

    assert State.objects.get(pk=telangana.pk).code == "IN-TS"
    assert State.objects.filter(country__code="IN").count() == 36


@pytest.mark.django_db
def test_seeding_never_deletes_a_row_missing_from_the_catalog():
    extra = District.objects.create(
        state=State.objects.get(code="US-CT"), official_code="09110", name="Capitol"
    )

    with transaction.atomic():
        seed_reference_data(Country, State, District)

    assert District.objects.filter(pk=extra.pk).exists()


@pytest.mark.django_db
def test_seed_reference_data_command_reports_nothing_to_do(capsys):
    call_command("seed_reference_data")

    output = capsys.readouterr().out
    assert "districts: 0 created, 0 updated" in output
    assert "Already up to date." in output


def test_catalog_state_codes_are_unique_and_match_pycountry_counts():
    codes = [entry.code for entry in catalog.states()]

    assert len(codes) == len(set(codes)) == 57 + 27 + 36
    assert "IN-TS" in codes
    assert "IN-TG" not in codes


def test_catalog_names_authorities_only_where_the_facts_name_them():
    authorities = {
        e.code: e.regulatory_authority for e in catalog.states() if e.regulatory_authority
    }

    assert set(authorities) == {"US-CA", "US-TX", "US-NY", "US-FL", "BR-SP", "BR-RJ"}
    assert authorities["US-FL"] == "Agency for Health Care Administration"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("São Paulo", "sao paulo"),
        ("  Kaimur (Bhabua) ", "kaimur bhabua"),
        ("MAHĀRĀSHTRA", "maharashtra"),
        ("Y.S.R.", "y s r"),
    ],
)
def test_normalize_name_folds_case_accents_and_punctuation(raw, normalized):
    assert catalog.normalize_name(raw) == normalized
