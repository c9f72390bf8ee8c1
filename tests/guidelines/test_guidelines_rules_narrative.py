"""Narrative rules over whole invoices: hit, miss and edge; messages name the words."""

from __future__ import annotations

from decimal import Decimal

from tests.guidelines.guidelines_builders import expense, fee, flags, invoice, rates, run

BLOCK = (
    "Attend status conference; prepare motion to dismiss; confer with client regarding production"
)


class TestBlockBilling:
    def test_three_tasks_reduced_by_the_default_percentage(self) -> None:
        result = run(invoice(fee(narrative=BLOCK, units="4")))
        [(_, flag)] = flags(result, "block-billing")
        assert flag.message.startswith(
            "3 distinct tasks under one time value (4 h): 'attend status conference'"
        )
        assert flag.evidence["tasks"] == [
            "attend status conference",
            "prepare motion to dismiss",
            "confer with client regarding production",
        ]
        assert flag.amount == Decimal("-240.00")

    def test_review_and_revise_is_one_task(self) -> None:
        assert not flags(
            run(
                invoice(
                    fee(
                        narrative="Review and revise draft asset purchase agreement on indemnity basket"  # noqa: E501
                    )
                )
            ),
            "block-billing",
        )

    def test_min_tasks_parameter(self) -> None:
        two = "Research Delaware non-solicit case law and draft opposition section on same"
        assert flags(run(invoice(fee(narrative=two))), "block-billing")
        assert not flags(
            run(invoice(fee(narrative=two)), "[rules.block-billing]\nmin_tasks = 3\n"),
            "block-billing",
        )


class TestVagueDescription:
    def test_generic_narrative_is_held(self) -> None:
        [(_, flag)] = flags(run(invoice(fee(narrative="Review file"))), "vague-description")
        assert flag.action == "hold" and "'Review file'" in flag.message

    def test_specific_narrative(self) -> None:
        narrative = "Review complaint for purposes of drafting answer and affirmative defenses"
        assert not flags(run(invoice(fee(narrative=narrative))), "vague-description")

    def test_call_without_subject_and_ignore_terms(self) -> None:
        assert flags(
            run(invoice(fee(narrative="Telephone call with John Doe"))), "vague-description"
        )
        toml = '[rules.vague-description]\nignore_terms = ["john doe"]\n'
        assert not flags(
            run(invoice(fee(narrative="Telephone call with John Doe")), toml), "vague-description"
        )


class TestClericalWork:
    def test_bates_labelling_rejected(self) -> None:
        [(_, flag)] = flags(
            run(invoice(fee(narrative="Bates label production volume 4", classification="PARALG"))),
            "clerical-work",
        )
        assert flag.action == "reject-line" and "'bates label'" in flag.message

    def test_scheduling_order_is_not_clerical(self) -> None:
        narrative = "Review amended scheduling order and analyze impact on expert deadlines"
        assert not flags(run(invoice(fee(narrative=narrative))), "clerical-work")

    def test_extra_terms_add_client_vocabulary(self) -> None:
        narrative = "Prepare chronology of key events from produced emails"
        toml = '[rules.clerical-work]\nextra_terms = ["chronology"]\n'
        assert flags(run(invoice(fee(narrative=narrative)), toml), "clerical-work")


class TestInternalConference:
    def test_conference_with_a_timekeeper_on_the_invoice(self) -> None:
        other = fee(
            "2",
            narrative="Draft deposition outline for CFO",
            timekeeper_id="TK2",
            timekeeper_name="Beaster, John",
            classification="ASSOC",
        )
        result = run(
            invoice(fee(narrative="Conference with Beaster regarding deposition outline"), other)
        )
        [(_, flag)] = flags(result, "internal-conference")
        assert "beaster" in flag.evidence["words"]

    def test_call_with_client(self) -> None:
        narrative = "Call with client's general counsel regarding settlement authority"
        assert not flags(run(invoice(fee(narrative=narrative))), "internal-conference")

    def test_surname_inside_a_company_name_is_external(self) -> None:
        other = fee(
            "2",
            narrative="Draft disclosure schedules",
            timekeeper_id="TK2",
            timekeeper_name="Okafor, Chidi",
        )
        result = run(
            invoice(fee(narrative="Call with Okafor Holdings treasurer re escrow mechanics"), other)
        )
        assert not flags(result, "internal-conference")


class TestLearningCurve:
    def test_get_up_to_speed(self) -> None:
        assert flags(
            run(invoice(fee(narrative="Review pleadings to get up to speed after reassignment"))),
            "learning-curve",
        )

    def test_training_materials_as_evidence(self) -> None:
        narrative = "Review employer's harassment training materials produced in discovery"
        assert not flags(run(invoice(fee(narrative=narrative))), "learning-curve")

    def test_cle(self) -> None:
        assert flags(
            run(invoice(fee(narrative="Attend CLE webinar on amendments to Rule 702"))),
            "learning-curve",
        )


class TestBillingAdministration:
    def test_pre_bill(self) -> None:
        assert flags(
            run(invoice(fee(narrative="Review pre-bill and write down duplicate entries"))),
            "billing-administration",
        )

    def test_invoices_produced_by_defendant(self) -> None:
        narrative = "Review invoices produced by defendant to trace disputed freight charges"
        assert not flags(run(invoice(fee(narrative=narrative))), "billing-administration")

    def test_litigation_budget(self) -> None:
        assert flags(
            run(invoice(fee(narrative="Prepare litigation budget for second quarter"))),
            "billing-administration",
        )


class TestLegalResearch:
    def test_research_over_the_cap_without_approval(self) -> None:
        lines = (
            fee("1", narrative="Research Rule 37(e) sanctions case law", units="2"),
            fee(
                "2",
                narrative="Research spoliation inference in Ninth Circuit",
                units="2",
                date=fee().date.replace(day=11),
            ),
        )
        found = flags(run(invoice(*lines)), "legal-research")
        assert [w for w, _ in found] == ["1", "2"]
        assert "4 h on this invoice (limit 3 h)" in found[0][1].message

    def test_approval_reference_exempts_the_line(self) -> None:
        narrative = "Research CERCLA contribution claims approved by Jane Holloway"
        assert not flags(run(invoice(fee(narrative=narrative, units="5"))), "legal-research")

    def test_zero_cap_flags_every_research_line_and_reduce_takes_excess(self) -> None:
        toml = '[rules.legal-research]\nmax_hours_per_invoice = 0\naction = "reduce"\n'
        result = run(
            invoice(
                fee(narrative="Research statute of limitations for motion to dismiss", units="1")
            ),
            toml,
        )
        assert flags(result, "legal-research") and result.lines[0].approved == 0


class TestNonWorkingTravel:
    def test_travel_at_full_rate_reduced_to_half(self) -> None:
        result = run(
            invoice(fee(narrative="Travel from Boston to Chicago for deposition of plant manager"))
        )
        [(_, flag)] = flags(result, "non-working-travel")
        assert "billed at 100% of the 300 rate (allowed 50%)" in flag.message
        assert result.lines[0].approved == Decimal("300.00")

    def test_travel_already_billed_at_half(self) -> None:
        assert not flags(
            run(
                invoice(
                    fee(narrative="Travel to Chicago for deposition", unit_cost="150"),
                    fee("2", narrative="Draft brief on damages", date=fee().date.replace(day=12)),
                )
            ),
            "non-working-travel",
        )

    def test_working_travel_is_not_flagged(self) -> None:
        narrative = "Review deposition transcript on flight to Denver and annotate for brief"
        assert not flags(run(invoice(fee(narrative=narrative))), "non-working-travel")


class TestWorkBelowLevel:
    def test_partner_doing_paralegal_work_repriced_at_paralegal_rate(self) -> None:
        book = rates(
            '36-1234567,TK1,"Arnsley, Robert",PARTNR,300,USD,2026-01-01,,',
            "36-1234567,,,PARALG,120,USD,2026-01-01,,",
        )
        result = run(
            invoice(fee(narrative="Prepare exhibit list for final pretrial order")), book=book
        )
        [(_, flag)] = flags(result, "work-below-level")
        assert "paralegal-level work billed by Arnsley, Robert (PARTNR)" in flag.message
        assert "PARALG rate 120 USD effective 2026-01-01" in flag.message and result.lines[
            0
        ].approved == Decimal("240.00")

    def test_paralegal_doing_it_is_fine(self) -> None:
        assert not flags(
            run(
                invoice(
                    fee(
                        narrative="Prepare exhibit list for final pretrial order",
                        classification="PARALG",
                    )
                )
            ),
            "work-below-level",
        )

    def test_without_a_lower_rate_the_flag_stays_without_money(self) -> None:
        [(_, flag)] = flags(
            run(invoice(fee(narrative="Cite-check authorities in reply brief"))), "work-below-level"
        )
        assert flag.amount == 0 and "no ASSOC rate on the rate card" in flag.message


class TestLuxuryTravel:
    def test_first_class_fare(self) -> None:
        [(_, flag)] = flags(
            run(
                invoice(expense(narrative="Airfare - first class, JFK to LAX", expense_code="E110"))
            ),
            "luxury-travel",
        )
        assert "'first class'" in flag.message and flag.action == "reject-line"

    def test_first_class_postage_is_not_travel(self) -> None:
        assert not flags(
            run(
                invoice(expense(narrative="First class postage for subpoenas", expense_code="E124"))
            ),
            "luxury-travel",
        )

    def test_no_alcohol_negation(self) -> None:
        narrative = "Working dinner for trial team (5 attendees, no alcohol)"
        assert not flags(
            run(invoice(expense(narrative=narrative, expense_code="E111"))), "luxury-travel"
        )
