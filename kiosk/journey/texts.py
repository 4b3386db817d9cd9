"""The journey's words, in both languages (the view model carries them; front ends only choose the language).
Existing screens' sentences keep the wording of the Qt translations, so the pre-rendered voice clips match."""

from __future__ import annotations

from kiosk.messages import Message

M = Message

TITLES: dict[str, M] = {
    "home": M("您好，请问要办什么？", "Welcome. What would you like to do?"),
    "identify": M("请确认身份", "Who is applying?"),
    "proxy": M("替他人办理（代办）", "Acting for someone"),
    "proxy_typed": M("输入被代办人的身份证号", "ID number of the person you act for"),
    "proxy_paper": M("纸质授权书", "Paper power of attorney"),
    "health": M("健康核验", "Health check"),
    "categories": M("办理哪类业务？", "What kind of service?"),
    "items": M("选择办理事项", "Choose your services"),
    "items_print": M("要查询打印什么？", "What would you like to print?"),
    "items_elderly": M("长者常办事项", "Services seniors use most"),
    "materials": M("所需材料", "Materials"),
    "form": M("填写信息", "Your details"),
    "review": M("请核对", "Please check"),
    "done": M("办理完成，谢谢！", "Done. Thank you!"),
    "ticket": M("取号", "Take a queue number"),
    "ticket_done": M("您的排队号", "Your queue number"),
    "help": M("呼叫志愿者", "Call a volunteer"),
    "signin": M("工作人员登录", "Staff sign-in"),
    "signin_locked": M("暂时不能登录", "Sign-in locked for now"),
    "staff_menu": M("工作人员菜单", "Staff menu"),
    "priority_confirm": M("绿色通道", "Green channel"),
    "batch_item": M("批量办理：选择事项", "Batch: choose the service"),
    "batch_list": M("批量办理", "Batch handling"),
    "batch_typed": M("输入身份证号", "Type the ID number"),
    "batch_done": M("批量办理完成", "Batch finished"),
    "difficult_case": M("这件事我办不了", "I cannot do this here"),
    "difficult_case_done": M("已转疑难事项窗口", "Sent to the difficult-case window"),
    "take_card": M("请取回您的身份证", "Please take your ID card"),
}

PROMPTS: dict[str, M] = {
    "home": M("请点下面的大按钮选择要办的事。也可以现在就把身份证放到读卡区。",
              "Touch a big button for what you want to do. You can also place your ID card on the reader now."),
    "identify": M("请把身份证或社保卡放到读卡区。", "Please place your ID card or social security card on the reader."),
    "proxy": M("替他人办理：请先放您本人的身份证。",
               "To act for someone else, first place your own ID card on the reader."),
    "proxy_principal": M("现在请放被代办人的身份证。",
                         "Now place the ID card of the person you are acting for on the reader."),
    "proxy_typed": M("用数字键输入被代办人的身份证号，最后一位是X请点X。",
                     "Type the ID number of the person you act for. If it ends in X, touch X."),
    "proxy_checking": M("正在核对代办授权，请稍等。", "Checking the authorization. Please wait a moment."),
    "proxy_code": M("请把代办授权码对准摄像头，或呼叫志愿者。",
                    "Please show the authorization code to the camera, or call a volunteer."),
    "proxy_paper": M("请工作人员核对纸质授权书，刷工作证并输入密码，再选择核对的依据。",
                     "A staff member checks the paper power of attorney, signs in with badge and PIN, "
                     "then chooses what was checked."),
    "health": M("请把健康码对准摄像头，或者在下面选择其他方式。",
                "Please show your health code to the camera, or choose another way below."),
    # The health check on a kiosk without a code scanner (`scanner.driver = none`): only what can work here.
    "health_no_scanner": M("本机没有扫码器，不能扫健康码。请在下面选择：请工作人员核验身份证，或出示纸质证明。",
                           "This kiosk has no code scanner, so it cannot read a health code. Please choose below: "
                           "a staff member checks your ID card, or show a paper proof."),
    # Nobody has confirmed coming (no claim is polled here): the words say only that the call was made.
    "health_waiting": M("已为您呼叫工作人员或志愿者，请稍等。核验后由他们刷工作证确认。",
                        "A staff member or volunteer has been called. Please wait: they confirm by placing their "
                        "badge on the reader."),
    "categories": M("请选择您要办理的业务类别。", "Please choose the kind of service you need."),
    # One line in English at 1.5× portrait, so the card holder's name line above the list costs no service tile.
    "items": M("请点选要办理的事项，可以选多项，然后点“下一步”。", "Touch one or more services, then Next."),
    "materials": M("这是办理所需的材料。打勾的已经为您办好，不用再交。",
                   "Here is what this service needs. Lines with a tick are already done for you."),
    "form": M("请回答这个问题。证件上已有的信息不用再填。",
              "Please answer this question. We only ask what your card does not tell us."),
    "review": M("请核对申请内容，没有问题请点“提交”。", "Please check your application. If it is right, touch Submit."),
    "done": M("申请已经提交，请取走回执。", "Your application has been submitted. Please take your receipt."),
    "ticket": M("60岁以上请放身份证取优先号，也可以直接取号。",
                "If you are over 60, place your ID card for a priority number. Or take a number directly."),
    "ticket_done": M("这是您的排队号，请留意叫号。", "Here is your queue number. Please wait until it is called."),
    # The badge checks the PIN itself (ISO 7816-4 VERIFY), so it must stay on the reader until sign-in is done.
    "signin": M("请把工作证留在读卡器上，用数字键输入密码，然后点“登录”。",
                "Leave your badge on the reader, type your PIN on the keys, then touch Sign in."),
    "signin_locked": M("密码错误次数过多，此工作证暂时锁定。请稍后再试，或联系大厅管理人员。",
                       "Too many wrong PINs: this badge is locked for now. Try again later or ask the hall office."),
    "staff_menu": M("请选择要做的事。用完请点“退出登录”。", "Choose what to do. Touch Sign out when you finish."),
    "priority_confirm": M("请选择开通绿色通道的原因。", "Choose why this visit goes through the green channel."),
    "batch_item": M("请选择要为多人批量办理的事项。", "Choose the service to submit for several people."),
    "batch_list": M("请逐一放每位办理人的身份证，或输入身份证号。", "Place each person's card, or type the ID number."),
    "batch_typed": M("请用数字键输入证件号码。最后一位是X的，请按X键。",
                     "Type the ID number with the number keys. If it ends in X, touch X."),
    "batch_done": M("每人一份回执已经打印。没办成的人员列在下面。",
                    "A receipt was printed for each person. Anyone not done is listed below."),
    "difficult_case": M("请选择原因。我们会给您一张疑难事项窗口的号。",
                        "Choose the reason. You will get a number for the difficult-case window."),
    "difficult_case_done": M("请拿好号码，到疑难事项窗口等候叫号。",
                             "Please take your number and wait for the difficult-case window to call it."),
    "take_card": M("请取回您的身份证。您的证件还在读卡区，拿走后下一位才能开始。",
                   "Please take your ID card. It is still on the reader; the next person can start once you "
                   "have taken it."),
}

NEXT = M("下一步", "Next")
SUBMIT = M("提交", "Submit")
FINISH = M("完成", "Finish")
SIGN_IN = M("登录", "Sign in")
SUBMIT_ALL = M("全部提交", "Submit all")
# The review's row of materials already in hand (the card read here, shared data): no paper to hand in for them.
MATERIALS_IN_HAND = M("不用交的材料", "No paper needed for")
# The paper power of attorney's panel: whose cards were read (masked names), for staff to check.
PAPER_PRINCIPAL = M("被代办人", "Acting for")
PAPER_AGENT = M("代办人", "Agent")
# Under the home screen's picture of the card on the reader.
CARD_HERE = M("身份证放这里：平放在屏幕下方的读卡区", "Your ID card goes here: flat on the reader below the screen")

# Problems said on screen (plain words, no codes).
ID_INVALID = M("证件号码校验不通过，请找工作人员帮助",
               "The ID number did not pass its check. Please ask the staff for help.")
CARD_EXPIRED = M("证件已过期，请到人工窗口办理", "This card has expired. Please go to a staffed counter.")
SAME_CARD = M("这是您本人的证件。请放被代办人的身份证",
              "This is your own card. Please place the ID card of the person you act for.")
TYPED_ID_BAD = M("这个身份证号不对：应为18位，请核对。",
                 "This ID number is not right: it has 18 characters. Please check it.")
NOTHING_CHOSEN = M("请先至少选择一项。", "Please choose at least one service first.")
PERSONAL_ONLY = M("“{item}”须本人办理，不能代办。请本人带身份证来办，或到人工窗口咨询。",
                  "\"{item}\" must be done by the person themselves; nobody can do it for them. "
                  "Please come in person, or ask at a staffed counter.")
EID_NOT_OFFERED = M("本机不能凭电子证照码识别身份，请放身份证或社保卡。",
                    "This kiosk cannot identify you by an electronic code. Please use your ID or social "
                    "security card.")
GRANT_REFUSED = M("这个码不能作为代办授权码使用（可能不是授权码，或已过期）。可以呼叫志愿者帮忙。",
                  "This code cannot be used as an authorization code (it may be another kind of code, or "
                  "expired). A volunteer can help.")
CODE_UNCHECKABLE = M("暂时无法核验这个码，请呼叫志愿者",
                     "This code cannot be checked right now. Please call a volunteer.")
HEALTH_REFUSED = M("这个码无法通过核验，请选择下面的其他方式",
                   "This code could not be checked. Please choose another way below.")
PAPER_NEEDS_STAFF = M("纸质授权书须由工作人员刷工作证并输入密码确认。",
                      "A paper power of attorney must be confirmed by a staff member with badge and PIN.")
STAFF_ONLY = M("这项操作只能由工作人员办理，志愿者不能操作。", "Only staff can do this; volunteers cannot.")
BADGE_NOT_HERE = M("现在不需要刷工作证。", "No badge is needed here now.")
SOMETHING_WRONG = M("出了点问题，请呼叫志愿者帮助", "Something went wrong. Please call a volunteer.")
READER_DOWN = M("读卡器暂不可用，请到服务台办理", "The card reader is not working. Please go to the service desk.")
PRINTER_DOWN = M("打印机暂不可用，号码和回执请看屏幕并记下",
                 "The printer is not working: please note the number shown on the screen.")
SCANNER_DOWN = M("扫码器暂不可用", "The code scanner is not working.")
PHONE_INCOMPLETE = M("这个电话号码不完整：手机号码要11位数字，座机号码要带区号。",
                     "This phone number is incomplete: a mobile number has 11 digits; a landline needs its area "
                     "code.")
NO_CODE_SCANNER = M("本机没有扫码器", "This kiosk has no code scanner.")
PROXY_CODE_UNREADABLE = M("这台终端现在不能扫代办授权码。请选择下面的方式。",
                          "This kiosk cannot read an authorization code now. Please choose a way below.")
OTHER_WAYS = M("请在下面选择其他方式。", "Please choose another way below.")
TYPE_FIRST = M("请先输入号码。", "Please type the number first.")
TOUCH_ANSWER = M("请点选一个答案。", "Please touch one of the answers.")
DATE_BAD = M("这个日期不存在。请按年月日输入，例如20261201。",
             "This date does not exist. Please type year, month and day, for example 20261201.")
NUMBER_SHORT = M("这个号码好像太短了，请核对。", "This number looks too short. Please check it.")
PHONE_OR_SKIP = M("请先输入电话号码。不想留电话，请点“返回”再点“跳过”。",
                  "Please type the phone number first. To leave none, touch Back, then Skip.")
PIN_SHORT = M("请输入4到8位数字密码。", "Please type a PIN of 4 to 8 digits.")
BATCH_EMPTY = M("还没有加入任何人。", "Nobody has been added yet.")
BATCH_DUPLICATE = M("这个人已经在名单里了。", "This person is already on the list.")
HELP_NO_CLAIM_YET = M("正在为您呼叫志愿者，服务台在{where}。",
                      "Calling a volunteer for you. The service desk is {where}.")
HELP_CLAIMED = M("志愿者 {name} 正在过来", "Volunteer {name} is on the way")
HELP_OFFLINE = M("暂时联系不上志愿者服务站，求助已记下，网络恢复后送达。需要帮助请到服务台：{where}。",
                 "The help station cannot be reached right now; your request is saved and will be sent. "
                 "For help now, please go to the service desk: {where}.")
HELP_FAILED = M("请向服务台的工作人员招手。", "Please wave to the staff at the service desk.")
HELP_BACK = M("点“返回”可以接着刚才的步骤办理。", "Touch Back to continue where you were.")
ASSISTED = M("{role} {name} 协助中", "Helped by {role_en} {name}")
PRIORITY_ON = M("绿色通道", "Green channel")
ELDERLY_SUGGESTED = M("持证人已满{age}岁，建议走绿色通道。",
                      "The card holder is {age} or older: the green channel is suggested.")

ROLE_ZH = {"volunteer": "志愿者", "staff": "工作人员"}
ROLE_EN = {"volunteer": "volunteer", "staff": "staff member"}

# What each keypad expects, shown in the empty box (and said with it) before anything is typed.
EXPECTS: dict[str, M] = {
    "phone": M("11位手机号码，座机要带区号", "11-digit mobile number, or a landline with area code"),
    "date": M("8位数字：年月日，例如20261201", "8 digits: year, month, day, e.g. 20261201"),
    "id": M("18位身份证号码", "18-character ID number"),
    "pin": M("4到8位数字密码", "PIN of 4 to 8 digits"),
}


def expects_digits(most: int, least: int = 6) -> M:
    """A number of `least` to `most` digits (`values.check_field`'s rule for a plain digits field)."""
    return M(f"{least}到{most}位数字", f"{least} to {most} digits")
