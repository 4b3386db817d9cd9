"""Schema of the service catalog (pydantic): departments, items, materials and what can waive them, form fields.

The catalog is data (`data/catalog.json`, or a newer copy pulled from the hub), validated at load.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Code = Annotated[str, Field(pattern=r"^[a-z0-9_]{2,48}$")]


class Text(BaseModel):
    """A catalog string in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Department(_Frozen):
    code: Code
    name: Text
    window: Text  # where paper materials are handed in


class Category(_Frozen):
    code: Code
    name: Text
    icon: str = "folder"


class Waiver(_Frozen):
    """A way the kiosk can prove a material without paper (无证办事)."""

    kind: Literal["e_certificate", "shared_data"]
    source: Text  # e.g. 电子身份证 / 户籍信息共享


class Material(_Frozen):
    code: Code
    name: Text
    waived_by: list[Waiver] = []
    copies: Annotated[int, Field(ge=0, le=10)] = 1


class FormField(_Frozen):
    code: Code
    label: Text
    kind: Literal["text", "phone", "date", "choice", "digits", "card_field"]
    # Pre-filled from this IdentityRecord attribute when the card provides it.
    from_card: str | None = None
    choices: list[Text] = []
    required: bool = True
    max_length: Annotated[int, Field(ge=1, le=200)] = 40

    @model_validator(mode="after")
    def _choices_for_choice(self) -> FormField:
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError(f"field {self.code}: a choice field needs at least two choices")
        if self.kind == "text" and self.from_card is None:
            # Citizens are never asked to type Chinese free text; text comes from the card or is a choice.
            raise ValueError(f"field {self.code}: free text must come from the card (from_card) or be a choice")
        return self


class Item(_Frozen):
    code: Code
    name: Text
    department: Code
    category: Code
    elderly_high_frequency: bool = False
    elderly_rank: Annotated[int, Field(ge=0, le=999)] = 999  # lower = shown earlier to people over 60
    agent_allowed: bool = True  # 代办 / 代查代领
    # Only the person, in person: no proxy of any kind (registered, grant code, paper) and no batch handling by
    # a volunteer (e.g. fingerprints and photo for an ID card). Implies agent_allowed = false.
    personal_only: bool = False
    difficult_case_window: bool = False  # routed to the 疑难事项 window when materials are incomplete
    # "query_print" items (查询打印: proofs and records printed on the spot) are offered from the Home
    # screen's 查询打印 entry; "apply" items are applications handled by a department.
    kind: Literal["apply", "query_print"] = "apply"
    materials: list[Material] = []
    fields: list[Code] = []
    summary: Text

    @model_validator(mode="after")
    def _personal_only_has_no_agent(self) -> Item:
        if self.personal_only and self.agent_allowed:
            raise ValueError(f"item {self.code}: personal_only items cannot allow an agent")
        return self

    @property
    def proxy_allowed(self) -> bool:
        """May anyone act for the principal (registered, grant-code or paper authorization)?"""
        return self.agent_allowed and not self.personal_only


class Catalog(_Frozen):
    version: Annotated[str, Field(min_length=1)]
    departments: list[Department]
    categories: list[Category]
    form_fields: list[FormField]
    items: Annotated[list[Item], Field(min_length=1)]

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        deps = {d.code for d in self.departments}
        cats = {c.code for c in self.categories}
        flds = {f.code for f in self.form_fields}
        seen: set[str] = set()
        for item in self.items:
            if item.code in seen:
                raise ValueError(f"item {item.code}: duplicate code")
            seen.add(item.code)
            if item.department not in deps:
                raise ValueError(f"item {item.code}: unknown department {item.department}")
            if item.category not in cats:
                raise ValueError(f"item {item.code}: unknown category {item.category}")
            for f in item.fields:
                if f not in flds:
                    raise ValueError(f"item {item.code}: unknown form field {f}")
        return self

    # --- queries ----------------------------------------------------------------------------------
    def item(self, code: str) -> Item:
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(code)

    def department(self, code: str) -> Department:
        return next(d for d in self.departments if d.code == code)

    def field(self, code: str) -> FormField:
        return next(f for f in self.form_fields if f.code == code)

    def items_for(self, *, elderly: bool, category: str | None = None, agent: bool = False) -> list[Item]:
        """Items to offer: for people over the elderly age the high-frequency items come first."""
        items = [i for i in self.items if (category is None or i.category == category)
                 and (not agent or i.agent_allowed)]
        if elderly:
            return sorted(items, key=lambda i: (not i.elderly_high_frequency, i.elderly_rank, i.code))
        return items

    def print_items(self) -> list[Item]:
        return [i for i in self.items if i.kind == "query_print"]

    def merged_fields(self, item_codes: list[str]) -> list[FormField]:
        """One form for several items (一张表): each field once, in first-seen order."""
        seen: dict[str, FormField] = {}
        for code in item_codes:
            for f in self.item(code).fields:
                seen.setdefault(f, self.field(f))
        return list(seen.values())
