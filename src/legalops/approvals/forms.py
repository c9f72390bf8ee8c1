"""Forms of the approval pages: routing rules with their levels, the policy, delegations and
an approver's decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from legalops.accounts.models import User
from legalops.approvals.models import POOL_ROLES, ApproverKind, RoutingRule
from legalops.approvals.selectors import approver_choices
from legalops.approvals.services import RuleSpec, StepSpec
from legalops.core.money import from_minor
from legalops.invoices.models import ReasonCode
from legalops.matters.types import matter_type_choices
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.vendors.models import LawFirm

DATE = forms.DateInput(attrs={"type": "date"})


def amount_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=16,
        decimal_places=2,
        required=False,
        min_value=Decimal(0),
        help_text=help_text,
    )


def _approvers() -> forms.ModelChoiceField[User]:
    return forms.ModelChoiceField(approver_choices(), required=False)


class RuleForm(forms.Form):
    name = forms.CharField(max_length=200)
    is_active = forms.BooleanField(required=False, initial=True, label="Active")
    amount_over = amount_field("Amount over", "reporting currency; empty = no lower bound")
    amount_up_to = amount_field("Amount up to", "reporting currency; empty = no upper bound")
    matter_types = forms.MultipleChoiceField(
        choices=matter_type_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    business_units = forms.ModelMultipleChoiceField(BusinessUnit.objects.all(), required=False)
    practice_areas = forms.ModelMultipleChoiceField(PracticeArea.objects.all(), required=False)
    firms = forms.ModelMultipleChoiceField(LawFirm.objects.order_by("name"), required=False)

    @staticmethod
    def initial_for(rule: RoutingRule, code: str) -> dict[str, Any]:
        def dec(minor: int | None) -> Decimal | None:
            return None if minor is None else from_minor(minor, code)

        return {
            "name": rule.name,
            "is_active": rule.is_active,
            "amount_over": dec(rule.amount_over_minor),
            "amount_up_to": dec(rule.amount_up_to_minor),
            "matter_types": rule.matter_types,
            "business_units": list(rule.business_units.all()),
            "practice_areas": list(rule.practice_areas.all()),
            "firms": list(rule.firms.all()),
        }


class StepForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), *ApproverKind.choices], required=False)
    user = forms.ModelChoiceField(User.objects.none(), required=False)
    pool_role = forms.ChoiceField(choices=[("", "—"), *POOL_ROLES], required=False, label="Pool")
    above = amount_field("Only above")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = approver_choices()


StepFormSet = forms.formset_factory(StepForm, extra=0, max_num=10)
BLANK_LEVELS = 2


def step_initial(rule: RoutingRule | None, code: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if rule is not None:
        rows = [
            {
                "kind": s.kind,
                "user": s.user,
                "pool_role": s.pool_role,
                "above": None if s.above_minor is None else from_minor(s.above_minor, code),
            }
            for s in rule.steps.order_by("level")
        ]
    return rows + [{} for _ in range(BLANK_LEVELS if rows else 3)]


def rule_spec(form: RuleForm, steps: Any) -> RuleSpec:
    """The rule as the service takes it; levels left blank (no kind) are ignored."""
    data = form.cleaned_data
    levels = tuple(
        StepSpec(
            kind=row["kind"],
            user=row.get("user"),
            pool_role=row.get("pool_role") or "",
            above=row.get("above"),
        )
        for row in (f.cleaned_data for f in steps.forms)
        if row.get("kind")
    )
    return RuleSpec(
        name=data["name"],
        is_active=data["is_active"],
        amount_over=data["amount_over"],
        amount_up_to=data["amount_up_to"],
        matter_types=tuple(data["matter_types"]),
        business_units=tuple(data["business_units"]),
        practice_areas=tuple(data["practice_areas"]),
        firms=tuple(data["firms"]),
        steps=levels,
    )


class PolicyForm(forms.Form):
    auto_approve_below = amount_field(
        "Auto-approve clean invoices under",
        "reporting currency; empty = never. Clean: no flag left proposed, no hold.",
    )
    remind_after_days = forms.IntegerField(min_value=0, max_value=365, help_text="0 = never")
    escalate_after_days = forms.IntegerField(min_value=0, max_value=365, help_text="0 = never")
    escalation_user = _approvers()


class DelegationForm(forms.Form):
    delegator = _approvers()
    delegate = forms.ModelChoiceField(approver_choices())
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
    comment = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not admin:
            del self.fields["delegator"]
        else:
            self.fields["delegator"].help_text = "empty = yourself"


class DecisionForm(forms.Form):
    """The three decision forms share a page: each gets ids of its own."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ApproveForm(DecisionForm):
    id_prefix = "approve"
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(DecisionForm):
    id_prefix = "send-back"
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What to look at")


class RejectForm(DecisionForm):
    id_prefix = "reject"
    reason_code = forms.ChoiceField(choices=())
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Why (the firm sees this)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(ReasonCode.objects.filter(is_active=True).values_list("code", "label"))
