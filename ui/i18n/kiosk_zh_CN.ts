<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <source>No, end my visit</source>
        <translation>不用了，结束办理</translation>
    </message>
    <message>
        <source>If not, the screen will be cleared. Please take your ID card with you.</source>
        <translation>不需要的话，屏幕上的信息将被清除。请带走您的身份证。</translation>
    </message>
    <message>
        <source>Do you need more time? If not, the screen will be cleared. Please take your ID card with you.</source>
        <translation>还需要更多时间吗？不需要的话，屏幕上的信息将被清除。请带走您的身份证。</translation>
    </message>
    <message>
        <source>Please take your ID card. It is still on the reader; the next person can start once you have taken it.</source>
        <translation>请取回您的身份证。您的证件还在读卡区，拿走后下一位才能开始。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/idle.py" line="54" />
        <source>Need more time?</source>
        <translation>还需要更多时间吗？</translation>
    </message>
    <message>
        <location filename="../work/main/ui/idle.py" line="55" />
        <source>Yes, I need more time</source>
        <translation>需要，请再等等我</translation>
    </message>
    <message>
        <location filename="../work/main/ui/idle.py" line="85" />
        <source>Returning to the start in %1 seconds</source>
        <translation>%1 秒后回到首页</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="13" />
        <source>Touch a big button for what you want to do. You can also place your ID card on the reader now.</source>
        <translation>请点下面的大按钮选择要办的事。也可以现在就把身份证放到读卡区。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="14" />
        <source>Please place your ID card or social security card on the reader.</source>
        <translation>请把身份证或社保卡放到读卡区。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="15" />
        <source>To act for someone else, first place your own ID card on the reader.</source>
        <translation>替他人办理：请先放您本人的身份证。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="16" />
        <source>Now place the ID card of the person you are acting for on the reader.</source>
        <translation>现在请放被代办人的身份证。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="17" />
        <source>Type the ID number of the person you act for. If it ends in X, touch X.</source>
        <translation>用数字键输入被代办人的身份证号，最后一位是X请点X。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="18" />
        <source>Checking the authorization. Please wait a moment.</source>
        <translation>正在核对代办授权，请稍等。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="19" />
        <source>Please show the authorization code to the camera, or call a volunteer.</source>
        <translation>请把代办授权码对准摄像头，或呼叫志愿者。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="20" />
        <source>A staff member checks the paper power of attorney, signs in with badge and PIN, then chooses what was checked.</source>
        <translation>请工作人员核对纸质授权书，刷工作证并输入密码，再选择核对的依据。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="22" />
        <source>Please show your health code to the camera, or choose another way below.</source>
        <translation>请把健康码对准摄像头，或者在下面选择其他方式。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="23" />
        <source>This kiosk has no code scanner, so it cannot read a health code. Please choose below: a staff member checks your ID card, or show a paper proof.</source>
        <translation>本机没有扫码器，不能扫健康码。请在下面选择：请工作人员核验身份证，或出示纸质证明。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="23" />
        <source>A staff member or volunteer has been called. Please wait: they confirm by placing their badge on the reader.</source>
        <translation>已为您呼叫工作人员或志愿者，请稍等。核验后由他们刷工作证确认。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="25" />
        <source>Please choose the kind of service you need.</source>
        <translation>请选择您要办理的业务类别。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="26" />
        <source>Touch one or more services, then Next.</source>
        <translation>请点选要办理的事项，可以选多项，然后点“下一步”。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="27" />
        <source>Here is what this service needs. Lines with a tick are already done for you.</source>
        <translation>这是办理所需的材料。打勾的已经为您办好，不用再交。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="28" />
        <source>Please answer this question. We only ask what your card does not tell us.</source>
        <translation>请回答这个问题。证件上已有的信息不用再填。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="29" />
        <source>Please check your application. If it is right, touch Submit.</source>
        <translation>请核对申请内容，没有问题请点“提交”。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="30" />
        <source>Your application has been submitted. Please take your receipt.</source>
        <translation>申请已经提交，请取走回执。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="31" />
        <source>If you are over 60, place your ID card for a priority number. Or take a number directly.</source>
        <translation>60岁以上请放身份证取优先号，也可以直接取号。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="32" />
        <source>Here is your queue number. Please wait until it is called.</source>
        <translation>这是您的排队号，请留意叫号。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="33" />
        <source>Leave your badge on the reader, type your PIN on the keys, then touch Sign in.</source>
        <translation>请把工作证留在读卡器上，用数字键输入密码，然后点“登录”。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="34" />
        <source>Too many wrong PINs: this badge is locked for now. Try again later or ask the hall office.</source>
        <translation>密码错误次数过多，此工作证暂时锁定。请稍后再试，或联系大厅管理人员。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="36" />
        <source>Choose what to do. Touch Sign out when you finish.</source>
        <translation>请选择要做的事。用完请点“退出登录”。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="37" />
        <source>Choose why this visit goes through the green channel.</source>
        <translation>请选择开通绿色通道的原因。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="38" />
        <source>Choose the service to submit for several people.</source>
        <translation>请选择要为多人批量办理的事项。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="39" />
        <source>Place each person's card, or type the ID number.</source>
        <translation>请逐一放每位办理人的身份证，或输入身份证号。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="40" />
        <source>Type the ID number with the number keys. If it ends in X, touch X.</source>
        <translation>请用数字键输入证件号码。最后一位是X的，请按X键。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="41" />
        <source>A receipt was printed for each person. Anyone not done is listed below.</source>
        <translation>每人一份回执已经打印。没办成的人员列在下面。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="42" />
        <source>Choose the reason. You will get a number for the difficult-case window.</source>
        <translation>请选择原因。我们会给您一张疑难事项窗口的号。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/prompts.py" line="43" />
        <source>Please take your number and wait for the difficult-case window to call it.</source>
        <translation>请拿好号码，到疑难事项窗口等候叫号。</translation>
    </message>
    <message>
        <location filename="../work/main/ui/status_strip.py" line="63" />
        <source>Offline</source>
        <translation>网络离线</translation>
    </message>
    <message>
        <location filename="../work/main/ui/status_strip.py" line="63" />
        <source>Online</source>
        <translation>网络正常</translation>
    </message>
    <message>
        <location filename="../work/main/ui/status_strip.py" line="67" />
        <source>Network paused. Services work as usual; they are sent automatically when it is back.</source>
        <translation>网络暂时中断，业务照常办理，恢复后自动提交</translation>
    </message>
    <message>
        <location filename="../work/main/ui/status_strip.py" line="69" />
        <source>%1 waiting to upload</source>
        <translation>待上传 %1 件</translation>
    </message>
    <message>
        <location filename="../work/main/ui/widgets.py" line="220" />
        <location filename="../work/main/ui/widgets.py" line="364" />
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../work/main/ui/widgets.py" line="220" />
        <location filename="../work/main/ui/widgets.py" line="366" />
        <source>More (page %1 of %2)</source>
        <translation>下一页（第%1页/共%2页）</translation>
    </message>
    <message>
        <location filename="../work/main/ui/widgets.py" line="567" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../work/main/ui/widgets.py" line="568" />
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../work/main/ui/window.py" line="326" />
        <source>Step %1 of %2</source>
        <translation>第%1步/共%2步</translation>
    </message>
    <message>
        <source>Text: normal · tap for larger</source>
        <translation>字号：标准 · 点一下放大</translation>
    </message>
    <message>
        <source>Text: large · tap for larger</source>
        <translation>字号：大 · 点一下更大</translation>
    </message>
    <message>
        <source>XL → normal</source>
        <translation>字号：特大 · 点一下还原</translation>
    </message>
    <message>
        <location filename="../work/main/ui/window.py" line="396" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../work/main/ui/window.py" line="397" />
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../work/main/ui/window.py" line="398" />
        <source>Read aloud</source>
        <translation>朗读</translation>
    </message>
    <message>
        <location filename="../work/main/ui/window.py" line="399" />
        <source>Call a volunteer</source>
        <translation>呼叫志愿者</translation>
    </message>
</context>
</TS>