"""Each state's view model: title, prompt, choices, masked values, the primary action and which of Back / Home /
Call volunteer / 这件事我办不了 / Sign out are offered. A control is offered only when a tap on it does something."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.identity import mask_id_number, mask_phone
from kiosk.journey import texts as tx
from kiosk.journey.values import takes_id_number
from kiosk.journey.view import ChoiceView, KeypadView, View
from kiosk.messages import Message
from kiosk.session import Mode

if TYPE_CHECKING:
    from kiosk.journey.machine import Journey

M = Message


def _banner(j: Journey) -> Message | None:
    parts: list[Message] = []
    h = j.helper
    if h is not None:
        parts.append(M(tx.ASSISTED.zh.format(role=tx.ROLE_ZH[h.role.value], name=h.display_name),
                       tx.ASSISTED.en.format(role_en=tx.ROLE_EN[h.role.value], name=h.display_name)))
    s = j.visit.session
    if s is not None and s.mode is Mode.PRIORITY:
        parts.append(tx.PRIORITY_ON)
    if not j._device_ok("card_reader") and j.state.value in ("home", "identify", "proxy_agent", "proxy_principal"):
        parts.append(j.devices["card_reader"][1] or tx.READER_DOWN)
    if not parts:
        return None
    return M(" · ".join(p.zh for p in parts), " · ".join(p.en for p in parts))


def build_view(j: Journey) -> View:
    from kiosk.journey.machine import DIFFICULT_FROM, State


    st = j.state
    v = j.visit
    name = st.value
    title = tx.TITLES.get(name, tx.TITLES.get(j.screen, M(name, name)))
    prompt = tx.PROMPTS.get(name, M("", ""))
    choices: list[ChoiceView] = []
    rows: list[tuple[Message, str]] = []
    nxt: Message | None = None
    icon = "next"
    keypad: KeypadView | None = None
    big = ""
    extra: dict[str, object] = {}
    identified = v.session is not None and v.session.principal is not None
    back = bool(v.history) or st in (State.HELP, State.DIFFICULT_CASE)
    home = st is not State.HOME
    helpable = st not in (State.HELP, State.SIGNIN, State.SIGNIN_LOCKED, State.STAFF_MENU, State.PRIORITY_CONFIRM,
                          State.BATCH_ITEM, State.BATCH_LIST, State.BATCH_TYPED, State.BATCH_DONE)
    if st is State.HOME:
        reader_ok = j._device_ok("card_reader")
        if reader_ok:
            choices += [ChoiceView("business", "business", M("办理业务", "Apply for a service")),
                        ChoiceView("print", "print", M("查询打印", "Look up and print"))]
        choices.append(ChoiceView("ticket", "ticket", M("取号", "Take a queue number")))
        if reader_ok:
            choices.append(ChoiceView("elderly", "heart", M("长者专区", "Seniors' services")))
        choices.append(ChoiceView("volunteer", "volunteer", M("呼叫志愿者", "Call a volunteer")))
        if j.helper is not None:
            choices.append(ChoiceView("staff_menu", "shield", M("工作人员菜单", "Staff menu")))
        if not reader_ok:
            prompt = M("读卡器暂不可用，请到服务台办理。也可以取号或呼叫志愿者。",
                       "The card reader is not working: please go to the service desk. You can still take a "
                       "number or call a volunteer.")
        helpable = False  # the tile is there
    elif st is State.IDENTIFY:
        choices.append(ChoiceView("proxy", "proxy", M("我是替别人办理（代办）", "I am acting for someone else")))
        if v.session is not None and v.session.mode is Mode.PRIORITY:
            choices = []
    elif st in (State.PROXY_AGENT, State.PROXY_PRINCIPAL, State.PROXY_CHECKING, State.PROXY_CODE):
        title = tx.TITLES["proxy"]
        prompt = tx.PROMPTS[{"proxy_agent": "proxy", "proxy_principal": "proxy_principal",
                            "proxy_checking": "proxy_checking", "proxy_code": "proxy_code"}[name]]
        if st is State.PROXY_PRINCIPAL:
            choices.append(ChoiceView("type_id", "keypad", M("没有证件：输入身份证号", "No card: type the ID number")))
            agent = v.session.principal if v.session is not None else None
            if agent is not None:
                extra["agent_name"] = agent.display_name
        if st is State.PROXY_CODE:
            choices.append(ChoiceView("paper", "paper", M("有纸质授权书（工作人员核对）",
                                                          "Paper power of attorney (staff check it)")))
            choices.append(ChoiceView("volunteer", "volunteer", M("呼叫志愿者帮我", "Call a volunteer to help me")))
            helpable = False
    elif st is State.PROXY_TYPED:
        keypad = KeypadView(18, allow_x=True)
        nxt = tx.NEXT
    elif st is State.PROXY_PAPER:
        stage = v.paper_stage
        if stage == "badge":
            prompt = M("请工作人员把工作证放到读卡区。", "Staff: please lay your badge on the reader.")
        elif stage == "pin":
            prompt = M("请工作人员输入密码，然后点“下一步”。", "Staff: type your PIN, then touch Next.")
            keypad = KeypadView(8, secret=True)
            nxt = tx.NEXT
        else:
            staff = v.paper_staff
            prompt = M(f"工作人员 {staff.display_name if staff else ''}：请选择核对的依据。",
                       f"Staff {staff.display_name if staff else ''}: choose what you checked.")
            from kiosk.journey.machine import PAPER_REASONS

            choices += [ChoiceView(k, "paper", t) for k, t in PAPER_REASONS]
        if stage != "reason":
            choices.append(ChoiceView("volunteer", "volunteer", M("呼叫志愿者帮我", "Call a volunteer to help me")))
            helpable = False
    elif st in (State.HEALTH, State.HEALTH_WAITING):
        title = tx.TITLES["health"]
        prompt = tx.PROMPTS[name]
        w = v.health_waiting
        choices += [ChoiceView("staff_id_check", "shield",
                               M("没有码：请工作人员核验身份证", "No code: staff check my ID card"),
                               w == "staff_id_check"),
                    ChoiceView("paper_proof", "paper", M("我有纸质证明", "I have a paper proof"), w == "paper_proof")]
    elif st is State.CATEGORIES:
        choices += [ChoiceView(c.code, c.icon, c.name) for c in j.catalog.categories]
        extra["catalog_icons"] = True
    elif st is State.ITEMS:
        if v.flow == "print":
            title = tx.TITLES["items_print"]
        elif v.flow == "elderly" or j.served_is_elderly():
            title = tx.TITLES["items_elderly"]
        choices += [ChoiceView(i.code, "business", i.name, i.code in v.selected) for i in j.items()]
        nxt = tx.NEXT
        n = len(v.selected)
        extra["chosen"] = M(f"已选 {n} 项", f"Chosen: {n}") if n else M("还没有选择。", "Nothing chosen yet.")
    elif st is State.MATERIALS:
        codes = list(v.session.selected_items) if v.session is not None else []
        if len(codes) > 1:
            title = M(f"所需材料（第{v.material_index + 1}项/共{len(codes)}项）",
                      f"Materials ({v.material_index + 1} of {len(codes)})")
        if codes:
            extra["item"] = codes[min(v.material_index, len(codes) - 1)]
        nxt = tx.NEXT
    elif st is State.FORM:
        f = j.field
        nxt = tx.NEXT
        if f is not None:
            label = f.label
            many = len(v.questions) > 1
            title = M(f"{label.zh}（第{v.question + 1}题/共{len(v.questions)}题）" if many else label.zh,
                      f"{label.en} (question {v.question + 1} of {len(v.questions)})" if many else label.en)
            extra["question"] = (v.question + 1, len(v.questions))
            extra["label"] = label
            if j.offers_known_phone():
                from kiosk.journey.machine import masked_phone_question

                title = masked_phone_question(v.known_phone or "")
                prompt = M("是请点“是”；不是请点“换一个号码”。", "Touch Yes if it is; otherwise touch Another number.")
                choices += [ChoiceView("phone_yes", "yes", M("是", "Yes")),
                            ChoiceView("phone_no", "keypad", M("换一个号码", "Another number"))]
                nxt = None
            elif f.kind == "choice":
                chosen = v.answers.get(f.code)
                choices += [ChoiceView(str(i), "yes" if c.zh == chosen else "empty_box", c, c.zh == chosen)
                            for i, c in enumerate(f.choices)]
            else:
                kind = "phone" if f.kind == "phone" else "date" if f.kind == "date" else \
                    "id" if takes_id_number(f) else "digits"
                prompt = {"phone": M("请用数字键输入您的电话号码。", "Type your phone number with the number keys."),
                          "date": M("请按年月日输入日期，例如20261201。",
                                    "Type the date as year, month, day: for example 20261201."),
                          "id": M("用数字键输入身份证号，最后一位是X请点X。",
                                  "Type the ID number with the number keys. If it ends in X, touch X."),
                          "digits": M("请用数字键输入号码。", "Type the number with the number keys.")}[kind]
                keypad = KeypadView(f.max_length if f.kind != "date" else 8, allow_x=takes_id_number(f),
                                    value=v.answers.get(f.code, ""))
                extra["kind"] = kind
    elif st is State.REVIEW:
        s = v.session
        nxt, icon = tx.SUBMIT, "send"
        if v.busy:
            prompt = M("正在提交……", "Submitting…")
        if s is not None and s.principal is not None:
            items = [j.catalog.item(c).name for c in s.selected_items]
            rows.append((M("办理事项", "Services"), ""))
            extra["services"] = M("、".join(i.zh for i in items), "; ".join(i.en for i in items))
            rows.append((M("申请人", "Applicant"), f"{s.principal.display_name}  {s.principal.display_id_number}"))
            if s.agent is not None:
                rows.append((M("代办人", "Acting for the applicant"),
                             f"{s.agent.display_name}  {s.agent.display_id_number}"))
                extra["who"] = M(f"{s.agent.display_name} 代 {s.principal.display_name} 办理。",
                                 f"{s.agent.display_name} is acting for {s.principal.display_name}.")
            if s.helper is not None:
                rows.append((M("协助人员", "Helped by"), s.helper.display_name))
            for f in v.questions:
                value = s.form_values.get(f.code)
                if value:
                    rows.append((f.label, _display_value(f, str(value))))
    elif st is State.DONE:
        nxt, icon = tx.FINISH, "yes"
        extra["printed"] = v.printed
    elif st is State.TICKET:
        choices.append(ChoiceView("take", "ticket", M("直接取号", "Take a number now")))
    elif st is State.TICKET_DONE or st is State.DIFFICULT_CASE_DONE:
        t = v.ticket or {}
        big = str(t.get("number", ""))
        lane = t.get("lane", "normal")
        extra["lane"] = lane
        extra["lane_text"] = {"priority": M("优先窗口", "Priority queue"),
                              "difficult": M("疑难事项窗口", "Difficult-case window")}.get(
            lane, M("普通窗口", "Normal queue"))
        extra["printed"] = v.printed
        nxt, icon = tx.FINISH, "yes"
        back = False
    elif st is State.HELP:
        where = j.settings.help_desk
        hs = v.help_state
        if hs == "claimed":
            status = M(tx.HELP_CLAIMED.zh.format(name=v.help_claimed_by), tx.HELP_CLAIMED.en.format(
                name=v.help_claimed_by))
        elif hs == "offline":
            status = M(tx.HELP_OFFLINE.zh.format(where=where.zh), tx.HELP_OFFLINE.en.format(where=where.en))
        elif hs == "failed":
            status = tx.HELP_FAILED
        else:
            status = M(tx.HELP_NO_CLAIM_YET.zh.format(where=where.zh), tx.HELP_NO_CLAIM_YET.en.format(where=where.en))
        prompt = status
        extra["status"] = status
        extra["detail"] = tx.HELP_BACK if v.history and v.history[-1] is not State.HOME else M("", "")
    elif st is State.SIGNIN:
        keypad = KeypadView(8, secret=True)
        nxt, icon = tx.SIGN_IN, "yes"
        back = False
    elif st is State.SIGNIN_LOCKED:
        choices.append(ChoiceView("home", "home", M("回到首页", "Back to the start")))
        home = False
        back = False
    elif st is State.STAFF_MENU:
        h = j.helper
        choices.append(ChoiceView("assist", "volunteer", M("协助市民办理", "Help a citizen")))
        if h is not None and h.role.value == "staff":
            choices += [ChoiceView("priority", "heart", M("绿色通道", "Green channel")),
                        ChoiceView("proxy_paper", "paper", M("纸质授权书代办", "Proxy with a paper authorization"))]
        choices += [ChoiceView("batch", "business", M("批量办理", "Batch handling")),
                    ChoiceView("sign_out", "back", M("退出登录", "Sign out"))]
        back = False
    elif st is State.PRIORITY_CONFIRM:
        from kiosk.journey.machine import PRIORITY_REASONS

        elderly = j.served_is_elderly()
        choices += [ChoiceView(k, "heart", t, k == "elderly" and elderly) for k, t in PRIORITY_REASONS]
    elif st is State.BATCH_ITEM:
        choices += [ChoiceView(i.code, "business", i.name) for i in j.batch_items()]
    elif st is State.BATCH_LIST:
        item = j.catalog.item(v.batch_item) if v.batch_item else None
        if item is not None:
            title = M(f"批量办理：{item.name.zh}", f"Batch: {item.name.en}")
        for i, p in enumerate(v.batch_people):
            rows.append((M(f"{i + 1}.", f"{i + 1}."), f"{p.display_name}  {p.display_id_number}".strip()))
        choices.append(ChoiceView("type_id", "keypad", M("没有证件：输入身份证号", "No card: type the ID number")))
        if v.batch_people:
            choices.append(ChoiceView(f"remove:{len(v.batch_people) - 1}", "back",
                                      M("删除最后一位", "Remove the last person")))
            nxt, icon = tx.SUBMIT_ALL, "send"
        if v.busy:
            prompt = M("正在提交……", "Submitting…")
    elif st is State.BATCH_TYPED:
        keypad = KeypadView(18, allow_x=True)
        nxt = tx.NEXT
    elif st is State.BATCH_DONE:
        done = sum(1 for _who, _no, err in v.batch_summary if err is None)
        title = M(f"批量办理完成：{done}人已提交", f"Batch finished: {done} submitted")
        for who, no, err in v.batch_summary:
            rows.append((M(who, who), no if err is None else err.zh))
            extra.setdefault("rows_en", []).append(no if err is None else err.en)  # type: ignore[union-attr]
        nxt, icon = tx.FINISH, "yes"
        back = False
    elif st is State.DIFFICULT_CASE:
        from kiosk.journey.machine import DIFFICULT_REASONS

        choices += [ChoiceView(k, "help", t) for k, t in DIFFICULT_REASONS]
    difficult = st in DIFFICULT_FROM and identified
    return View(state=name, screen=j.screen, title=title, prompt=prompt, choices=tuple(choices), rows=tuple(rows),
                problem=v.problem, banner=_banner(j), big=big, next=nxt, next_icon=icon, back=back, home=home,
                help=helpable, difficult=difficult, sign_out=j.helper is not None and st is State.HOME,
                step=j.step(), keypad=keypad, busy=v.busy, extra=extra)


def _display_value(f, value: str) -> str:  # type: ignore[no-untyped-def]
    if f.kind == "choice":
        return next((c.zh for c in f.choices if c.zh == value), value)
    if f.kind == "phone":
        return mask_phone(value)
    if takes_id_number(f):
        return mask_id_number(value)
    if f.kind == "digits":
        return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)
    return value
