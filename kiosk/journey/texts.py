"""The journey's words by name, in both languages, from the text catalog (`kiosk/locale`, keys `journey.*`);
the view model carries them and front ends only choose the language. The voice clips are rendered from PROMPTS."""

from __future__ import annotations

from kiosk.locale import phrase
from kiosk.messages import Message

M = Message

TITLES: dict[str, M] = {
    "home": phrase("journey.title.home"),
    "identify": phrase("journey.title.identify"),
    "proxy": phrase("journey.title.proxy"),
    "proxy_typed": phrase("journey.title.proxy_typed"),
    "proxy_paper": phrase("journey.title.proxy_paper"),
    "health": phrase("journey.title.health"),
    "categories": phrase("journey.title.categories"),
    "items": phrase("journey.title.items"),
    "items_print": phrase("journey.title.items_print"),
    "items_elderly": phrase("journey.title.items_elderly"),
    "materials": phrase("journey.title.materials"),
    "form": phrase("journey.title.form"),
    "review": phrase("journey.title.review"),
    "done": phrase("journey.title.done"),
    "ticket": phrase("journey.title.ticket"),
    "ticket_done": phrase("journey.title.ticket_done"),
    "help": phrase("journey.title.help"),
    "signin": phrase("journey.title.signin"),
    "signin_locked": phrase("journey.title.signin_locked"),
    "staff_menu": phrase("journey.title.staff_menu"),
    "priority_confirm": phrase("journey.title.priority_confirm"),
    "batch_item": phrase("journey.title.batch_item"),
    "batch_list": phrase("journey.title.batch_list"),
    "batch_typed": phrase("journey.title.batch_typed"),
    "batch_done": phrase("journey.title.batch_done"),
    "difficult_case": phrase("journey.title.difficult_case"),
    "difficult_case_done": phrase("journey.title.difficult_case_done"),
    "take_card": phrase("journey.title.take_card"),
}

PROMPTS: dict[str, M] = {
    "home": phrase("journey.prompt.home"),
    "identify": phrase("journey.prompt.identify"),
    "proxy": phrase("journey.prompt.proxy"),
    "proxy_principal": phrase("journey.prompt.proxy_principal"),
    "proxy_typed": phrase("journey.prompt.proxy_typed"),
    "proxy_checking": phrase("journey.prompt.proxy_checking"),
    "proxy_code": phrase("journey.prompt.proxy_code"),
    "proxy_paper": phrase("journey.prompt.proxy_paper"),
    "health": phrase("journey.prompt.health"),
    # The health check on a kiosk without a code scanner (`scanner.driver = none`): only what can work here.
    "health_no_scanner": phrase("journey.prompt.health_no_scanner"),
    # Nobody has confirmed coming (no claim is polled here): the words say only that the call was made.
    "health_waiting": phrase("journey.prompt.health_waiting"),
    "categories": phrase("journey.prompt.categories"),
    # One line in English at 1.5× portrait, so the card holder's name line above the list costs no service tile.
    "items": phrase("journey.prompt.items"),
    "materials": phrase("journey.prompt.materials"),
    "form": phrase("journey.prompt.form"),
    "review": phrase("journey.prompt.review"),
    "done": phrase("journey.prompt.done"),
    "ticket": phrase("journey.prompt.ticket"),
    "ticket_done": phrase("journey.prompt.ticket_done"),
    # The badge checks the PIN itself (ISO 7816-4 VERIFY), so it must stay on the reader until sign-in is done.
    "signin": phrase("journey.prompt.signin"),
    "signin_locked": phrase("journey.prompt.signin_locked"),
    "staff_menu": phrase("journey.prompt.staff_menu"),
    "priority_confirm": phrase("journey.prompt.priority_confirm"),
    "batch_item": phrase("journey.prompt.batch_item"),
    "batch_list": phrase("journey.prompt.batch_list"),
    "batch_typed": phrase("journey.prompt.batch_typed"),
    "batch_done": phrase("journey.prompt.batch_done"),
    "difficult_case": phrase("journey.prompt.difficult_case"),
    "difficult_case_done": phrase("journey.prompt.difficult_case_done"),
    "take_card": phrase("journey.prompt.take_card"),
}

NEXT = phrase("journey.next")
SUBMIT = phrase("journey.submit")
FINISH = phrase("journey.finish")
SIGN_IN = phrase("journey.sign_in")
SUBMIT_ALL = phrase("journey.submit_all")
# The review's row of materials already in hand (the card read here, shared data): no paper to hand in for them.
MATERIALS_IN_HAND = phrase("journey.materials_in_hand")
# The paper power of attorney's panel: whose cards were read (masked names), for staff to check.
PAPER_PRINCIPAL = phrase("journey.paper_principal")
PAPER_AGENT = phrase("journey.paper_agent")
# Under the home screen's picture of the card on the reader.
CARD_HERE = phrase("journey.card_here")

# Problems said on screen (plain words, no codes).
ID_INVALID = phrase("journey.id_invalid")
CARD_EXPIRED = phrase("journey.card_expired")
SAME_CARD = phrase("journey.same_card")
TYPED_ID_BAD = phrase("journey.typed_id_bad")
NOTHING_CHOSEN = phrase("journey.nothing_chosen")
PERSONAL_ONLY = phrase("journey.personal_only")
EID_NOT_OFFERED = phrase("journey.eid_not_offered")
GRANT_REFUSED = phrase("journey.grant_refused")
CODE_UNCHECKABLE = phrase("journey.code_uncheckable")
HEALTH_REFUSED = phrase("journey.health_refused")
PAPER_NEEDS_STAFF = phrase("journey.paper_needs_staff")
STAFF_ONLY = phrase("journey.staff_only")
BADGE_NOT_HERE = phrase("journey.badge_not_here")
SOMETHING_WRONG = phrase("journey.something_wrong")
READER_DOWN = phrase("journey.reader_down")
PRINTER_DOWN = phrase("journey.printer_down")
SCANNER_DOWN = phrase("journey.scanner_down")
PHONE_INCOMPLETE = phrase("journey.phone_incomplete")
NO_CODE_SCANNER = phrase("journey.no_code_scanner")
PROXY_CODE_UNREADABLE = phrase("journey.proxy_code_unreadable")
OTHER_WAYS = phrase("journey.other_ways")
TYPE_FIRST = phrase("journey.type_first")
TOUCH_ANSWER = phrase("journey.touch_answer")
DATE_BAD = phrase("journey.date_bad")
NUMBER_SHORT = phrase("journey.number_short")
PHONE_OR_SKIP = phrase("journey.phone_or_skip")
PIN_SHORT = phrase("journey.pin_short")
BATCH_EMPTY = phrase("journey.batch_empty")
BATCH_DUPLICATE = phrase("journey.batch_duplicate")
HELP_NO_CLAIM_YET = phrase("journey.help_no_claim_yet")
HELP_CLAIMED = phrase("journey.help_claimed")
HELP_OFFLINE = phrase("journey.help_offline")
HELP_FAILED = phrase("journey.help_failed")
HELP_BACK = phrase("journey.help_back")
ASSISTED = phrase("journey.assisted")
PRIORITY_ON = phrase("journey.priority_on")
ELDERLY_SUGGESTED = phrase("journey.elderly_suggested")

ROLES = {"volunteer": phrase("journey.role.volunteer"), "staff": phrase("journey.role.staff")}

# What each keypad expects, shown in the empty box (and said with it) before anything is typed.
EXPECTS: dict[str, M] = {
    "phone": phrase("journey.expects.phone"),
    "date": phrase("journey.expects.date"),
    "id": phrase("journey.expects.id"),
    "pin": phrase("journey.expects.pin"),
}


def expects_digits(most: int, least: int = 6) -> M:
    """A number of `least` to `most` digits (`values.check_field`'s rule for a plain digits field)."""
    return phrase("journey.digits", least=least, most=most)
