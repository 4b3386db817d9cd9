"""The fixed spoken prompt of each journey state (English source; Chinese from the .ts, Cantonese voiced from
it). The same sentences as `kiosk.journey.texts.PROMPTS` (a test keeps them equal), written here as literal `tr()`
calls so Qt Linguist finds them and `build_assets` pre-renders them with espeak-ng.
"""

from __future__ import annotations

from ui.i18n import tr


def prompts() -> dict[str, str]:
    return {
        "home": tr("Touch a big button for what you want to do. You can also place your ID card on the reader now."),
        "identify": tr("Please place your ID card or social security card on the reader."),
        "proxy": tr("To act for someone else, first place your own ID card on the reader."),
        "proxy_principal": tr("Now place the ID card of the person you are acting for on the reader."),
        "proxy_typed": tr("Type the ID number of the person you act for. If it ends in X, touch X."),
        "proxy_checking": tr("Checking the authorization. Please wait a moment."),
        "proxy_code": tr("Please show the authorization code to the camera, or call a volunteer."),
        "proxy_paper": tr("A staff member checks the paper power of attorney, signs in with badge and PIN, then "
                  "chooses what was checked."),
        "health": tr("Please show your health code to the camera, or choose another way below."),
        "health_no_scanner": tr("This kiosk has no code scanner, so it cannot read a health code. Please choose "
                  "below: a staff member checks your ID card, or show a paper proof."),
        "health_waiting": tr("A staff member or volunteer has been called. Please wait: they confirm by placing "
                  "their badge on the reader."),
        "categories": tr("Please choose the kind of service you need."),
        "items": tr("Touch one or more services, then Next."),
        "materials": tr("Here is what this service needs. Lines with a tick are already done for you."),
        "form": tr("Please answer this question. We only ask what your card does not tell us."),
        "review": tr("Please check your application. If it is right, touch Submit."),
        "done": tr("Your application has been submitted. Please take your receipt."),
        "ticket": tr("If you are over 60, place your ID card for a priority number. Or take a number directly."),
        "ticket_done": tr("Here is your queue number. Please wait until it is called."),
        "signin": tr("Leave your badge on the reader, type your PIN on the keys, then touch Sign in."),
        "signin_locked": tr("Too many wrong PINs: this badge is locked for now. Try again later or ask the hall "
                  "office."),
        "staff_menu": tr("Choose what to do. Touch Sign out when you finish."),
        "priority_confirm": tr("Choose why this visit goes through the green channel."),
        "batch_item": tr("Choose the service to submit for several people."),
        "batch_list": tr("Place each person's card, or type the ID number."),
        "batch_typed": tr("Type the ID number with the number keys. If it ends in X, touch X."),
        "batch_done": tr("A receipt was printed for each person. Anyone not done is listed below."),
        "difficult_case": tr("Choose the reason. You will get a number for the difficult-case window."),
        "difficult_case_done": tr("Please take your number and wait for the difficult-case window to call it."),
        "take_card": tr("Please take your ID card. It is still on the reader; the next person can start once you "
                  "have taken it."),
        "idle": tr("Do you need more time? If not, the screen will be cleared. Please take your ID card with you."),
    }
