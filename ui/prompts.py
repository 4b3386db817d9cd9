"""The fixed spoken prompt of each screen (English source; Chinese from the .ts, Cantonese voiced from it).

`build_assets` pre-renders these with espeak-ng; screens show the same sentence as their instruction line.
"""

from __future__ import annotations

from ui.i18n import tr


def prompts() -> dict[str, str]:
    return {
        "home": tr("Touch a big button for what you want to do. You can also place your ID card on the reader now."),
        "identify": tr("Please place your ID card or social security card on the reader, "
                       "or show your electronic ID code to the camera."),
        "proxy": tr("To act for someone else, first place your own ID card on the reader."),
        "proxy_principal": tr("Now place the ID card of the person you are acting for on the reader."),
        "proxy_checking": tr("Checking the authorization. Please wait a moment."),
        "proxy_code": tr("Please show the authorization code to the camera, or call a volunteer."),
        "health": tr("Please show your health code to the camera, or choose another way below."),
        "categories": tr("Please choose the kind of service you need."),
        "items": tr("Touch the services you want. You can choose several. Then touch Next."),
        "materials": tr("Here is what this service needs. Lines with a tick are already done for you."),
        "form": tr("Please answer this question. We only ask what your card does not tell us."),
        "review": tr("Please check your application. If it is right, touch Submit."),
        "done": tr("Your application has been submitted. Please take your receipt."),
        "ticket": tr("If you are over 60, place your ID card for a priority number. Or take a number directly."),
        "ticket_done": tr("Here is your queue number. Please wait until it is called."),
        "help": tr("A volunteer has been called and will come to you soon. Please stay here."),
        "idle": tr("Do you need more time? Touch Yes to continue."),
    }
