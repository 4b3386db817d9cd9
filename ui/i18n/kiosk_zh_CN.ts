<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../idle.py" line="54" />
        <source>Need more time?</source>
        <translation>还需要更多时间吗？</translation>
    </message>
    <message>
        <location filename="../idle.py" line="55" />
        <source>Yes, I need more time</source>
        <translation>需要，请再等等我</translation>
    </message>
    <message>
        <location filename="../idle.py" line="85" />
        <location filename="../screens/details.py" line="475" />
        <source>Returning to the start in %1 seconds</source>
        <translation>%1 秒后回到首页</translation>
    </message>
    <message>
        <location filename="../printing.py" line="21" />
        <source>Applicant: %1</source>
        <translation>申请人：%1</translation>
    </message>
    <message>
        <location filename="../printing.py" line="22" />
        <source>ID: %1</source>
        <translation>证件号码：%1</translation>
    </message>
    <message>
        <location filename="../printing.py" line="27" />
        <source>Receipt number: %1</source>
        <translation>回执编号：%1</translation>
    </message>
    <message>
        <location filename="../printing.py" line="31" />
        <location filename="../screens/services.py" line="196" />
        <source>%1: please hand it in at %2</source>
        <translation>%1：请交到 %2</translation>
    </message>
    <message>
        <location filename="../printing.py" line="34" />
        <source>Receipt</source>
        <translation>办理回执</translation>
    </message>
    <message>
        <location filename="../printing.py" line="35" />
        <source>Keep this receipt. The hall's own number follows by text message.</source>
        <translation>请保管好本回执。大厅的受理编号将以短信通知。</translation>
    </message>
    <message>
        <location filename="../printing.py" line="45" />
        <location filename="../screens/start.py" line="621" />
        <source>Priority queue</source>
        <translation>优先窗口</translation>
    </message>
    <message>
        <location filename="../printing.py" line="45" />
        <location filename="../screens/start.py" line="621" />
        <source>Normal queue</source>
        <translation>普通窗口</translation>
    </message>
    <message>
        <location filename="../printing.py" line="46" />
        <location filename="../screens/start.py" line="602" />
        <source>Your queue number</source>
        <translation>您的排队号</translation>
    </message>
    <message>
        <location filename="../printing.py" line="48" />
        <source>Please wait until your number is called.</source>
        <translation>请留意叫号。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="13" />
        <source>Touch a big button for what you want to do. You can also place your ID card on the reader now.</source>
        <translation>请点下面的大按钮选择要办的事。也可以现在就把身份证放到读卡区。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="14" />
        <source>Please place your ID card or social security card on the reader, or show your electronic ID code to the camera.</source>
        <translation>请把身份证或社保卡放到读卡区，或者把电子证照码对准摄像头。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="16" />
        <source>To act for someone else, first place your own ID card on the reader.</source>
        <translation>替他人办理：请先放您本人的身份证。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="17" />
        <source>Now place the ID card of the person you are acting for on the reader.</source>
        <translation>现在请放被代办人的身份证。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="18" />
        <source>Checking the authorization. Please wait a moment.</source>
        <translation>正在核对代办授权，请稍等。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="19" />
        <source>Please show the authorization code to the camera, or call a volunteer.</source>
        <translation>请把代办授权码对准摄像头，或呼叫志愿者。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="20" />
        <source>Please show your health code to the camera, or choose another way below.</source>
        <translation>请把健康码对准摄像头，或者在下面选择其他方式。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="21" />
        <source>Please choose the kind of service you need.</source>
        <translation>请选择您要办理的业务类别。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="22" />
        <source>Touch the services you want. You can choose several. Then touch Next.</source>
        <translation>请点选要办理的事项，可以选多项，然后点“下一步”。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="23" />
        <source>Here is what this service needs. Lines with a tick are already done for you.</source>
        <translation>这是办理所需的材料。打勾的已经为您办好，不用再交。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="24" />
        <source>Please answer this question. We only ask what your card does not tell us.</source>
        <translation>请回答这个问题。证件上已有的信息不用再填。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="25" />
        <source>Please check your application. If it is right, touch Submit.</source>
        <translation>请核对申请内容，没有问题请点“提交”。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="26" />
        <source>Your application has been submitted. Please take your receipt.</source>
        <translation>申请已经提交，请取走回执。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="27" />
        <source>If you are over 60, place your ID card for a priority number. Or take a number directly.</source>
        <translation>60岁以上请放身份证取优先号，也可以直接取号。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="28" />
        <source>Here is your queue number. Please wait until it is called.</source>
        <translation>这是您的排队号，请留意叫号。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="29" />
        <source>A volunteer has been called and will come to you soon. Please stay here.</source>
        <translation>已经呼叫志愿者，马上就来，请在这里稍等。</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="30" />
        <source>Do you need more time? Touch Yes to continue.</source>
        <translation>还需要更多时间吗？需要请点“需要”。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="91" />
        <source>Your details</source>
        <translation>填写信息</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="94" />
        <source>%1 (question %2 of %3)</source>
        <translation>%1（第%2题/共%3题）</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="103" />
        <source>Type your phone number with the number keys.</source>
        <translation>请用数字键输入手机号码。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="105" />
        <source>Type the date as year, month, day: for example 20261201.</source>
        <translation>请按年月日输入日期，例如 20261201。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="107" />
        <source>Type the ID number with the number keys. If it ends in X, touch X.</source>
        <translation>请用数字键输入证件号码。最后一位是X的，请按X键。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="109" />
        <source>Type the number with the number keys.</source>
        <translation>请用数字键输入号码。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="119" />
        <source>Question %1 of %2.</source>
        <translation>第%1题，共%2题。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="191" />
        <source>Please touch one of the answers.</source>
        <translation>请点选一个答案。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="193" />
        <source>Please type the number first.</source>
        <translation>请先输入号码。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="195" />
        <source>This phone number looks incomplete. Please check it.</source>
        <translation>手机号码好像不完整，请检查一下。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="197" />
        <source>This date does not exist. Please type year, month and day, for example 20261201.</source>
        <translation>没有这个日期，请按年月日输入，例如 20261201。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="199" />
        <source>This ID number is not right: it has 18 characters. Please check it.</source>
        <translation>证件号码不对：应为18位，请核对。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="201" />
        <source>This number looks too short. Please check it.</source>
        <translation>号码好像太短了，请检查一下。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="205" />
        <location filename="../screens/services.py" line="116" />
        <location filename="../screens/services.py" line="215" />
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="293" />
        <source>Please check</source>
        <translation>请核对</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="299" />
        <source>Submitting…</source>
        <translation>正在提交……</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="317" />
        <source>Services</source>
        <translation>办理事项</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="319" />
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="323" />
        <source>Acting for the applicant</source>
        <translation>代办人</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="335" />
        <source>%1 is acting for %2.</source>
        <translation>%1 代 %2 办理。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="351" />
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="380" />
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="441" />
        <source>Done. Thank you!</source>
        <translation>办理完成，谢谢！</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="462" />
        <source>Printing your receipt…</source>
        <translation>正在打印回执……</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="463" />
        <source>Please take your printed receipt below the screen.</source>
        <translation>请在屏幕下方取走回执。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="464" />
        <source>The printer is not working. Please ask at the service desk for your receipt.</source>
        <translation>打印机暂时不能用，请到服务台领取回执。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="481" />
        <location filename="../screens/start.py" line="628" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="32" />
        <source>What kind of service?</source>
        <translation>办理哪类业务？</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="79" />
        <source>What would you like to print?</source>
        <translation>要查询打印什么？</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="81" />
        <source>Services seniors use most</source>
        <translation>长者常办事项</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="82" />
        <source>Choose your services</source>
        <translation>选择办理事项</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="86" />
        <source>Please choose at least one service first.</source>
        <translation>请先至少选择一项。</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="95" />
        <source>Chosen: %1</source>
        <translation>已选 %1 项</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="95" />
        <source>Nothing chosen yet.</source>
        <translation>还没有选择。</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="167" />
        <source>Materials (%1 of %2)</source>
        <translation>所需材料（第%1项/共%2项）</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="168" />
        <source>Materials</source>
        <translation>所需材料</translation>
    </message>
    <message>
        <location filename="../screens/services.py" line="192" />
        <source>%1: done, no paper needed (%2)</source>
        <translation>%1：已办好，不用交纸质材料（%2）</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="34" />
        <source>Welcome. What would you like to do?</source>
        <translation>您好，请问要办什么？</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="39" />
        <source>Apply for a service</source>
        <translation>办理业务</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="40" />
        <source>Look up and print</source>
        <translation>查询打印</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="41" />
        <location filename="../screens/start.py" line="548" />
        <source>Take a queue number</source>
        <translation>取号</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="42" />
        <source>Seniors' services</source>
        <translation>长者专区</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="43" />
        <location filename="../screens/start.py" line="443" />
        <location filename="../window.py" line="197" />
        <source>Call a volunteer</source>
        <translation>呼叫志愿者</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="87" />
        <source>Who is applying?</source>
        <translation>请确认身份</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="90" />
        <source>ID card or social security card: lay it flat on the reader below the screen.</source>
        <translation>身份证或社保卡：平放在屏幕下方的读卡区。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="92" />
        <source>Electronic ID code: hold your phone up to the camera.</source>
        <translation>电子证照码：把手机对准摄像头。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="94" />
        <source>I am acting for someone else</source>
        <translation>我是替别人办理（代办）</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="195" />
        <source>Please wave to the staff at the service desk.</source>
        <translation>请向服务台的工作人员招手。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="197" />
        <source>Calling a volunteer…</source>
        <translation>正在呼叫志愿者……</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="199" />
        <source>A volunteer is on the way.</source>
        <translation>志愿者马上就来。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="200" />
        <source>Touch Back to continue where you were.</source>
        <translation>点“返回”可以接着刚才的步骤办理。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="241" />
        <source>Acting for someone</source>
        <translation>替他人办理（代办）</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="251" />
        <source>First your own ID card: lay it flat on the reader below the screen.</source>
        <translation>先放您本人的身份证：平放在屏幕下方的读卡区。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="253" />
        <source>Now take your card back and lay the ID card of the person you act for on the reader.</source>
        <translation>请取回您的证件，再把被代办人的身份证放在读卡区。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="256" />
        <source>Checking the authorization…</source>
        <translation>正在核对授权…</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="258" />
        <source>No authorization is registered for you two. An authorization code from the service desk also works.</source>
        <translation>没有查到你们两位登记的代办授权。也可以用服务台开具的代办授权码。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="262" />
        <source>Your card has been read: %1</source>
        <translation>已读取您的证件：%1</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="274" />
        <source>Call a volunteer to help me</source>
        <translation>呼叫志愿者帮我</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="475" />
        <source>Health check</source>
        <translation>健康核验</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="479" />
        <source>A staff member or volunteer is coming. They confirm by placing their badge on the reader.</source>
        <translation>工作人员或志愿者马上就来，核验后由他们刷工作证确认。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="482" />
        <source>Hold your health code up to the camera.</source>
        <translation>请把健康码对准摄像头。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="485" />
        <source>No code: staff check my ID card</source>
        <translation>没有码：请工作人员核验身份证</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="487" />
        <source>I have a paper proof</source>
        <translation>我有纸质证明</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="551" />
        <source>Over 60? Place your ID card on the reader for the priority queue.</source>
        <translation>60岁以上？把身份证放到读卡区，取优先号。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="553" />
        <source>Take a number now</source>
        <translation>直接取号</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="622" />
        <source>Printing your ticket…</source>
        <translation>正在打印排队号……</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="623" />
        <source>Please take your printed ticket.</source>
        <translation>请取走打印的排队号。</translation>
    </message>
    <message>
        <location filename="../screens/start.py" line="624" />
        <source>The printer is not working. Please remember this number.</source>
        <translation>打印机暂时不能用，请记住这个号码。</translation>
    </message>
    <message>
        <location filename="../status_strip.py" line="62" />
        <source>Network paused. Services work as usual; they are sent automatically when it is back.</source>
        <translation>网络暂时中断，业务照常办理，恢复后自动提交</translation>
    </message>
    <message>
        <location filename="../status_strip.py" line="58" />
        <source>Online</source>
        <translation>网络正常</translation>
    </message>
    <message>
        <location filename="../status_strip.py" line="58" />
        <source>Offline</source>
        <translation>网络离线</translation>
    </message>
    <message>
        <location filename="../status_strip.py" line="64" />
        <source>%1 waiting to upload</source>
        <translation>待上传 %1 件</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="219" />
        <location filename="../widgets.py" line="349" />
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="219" />
        <location filename="../widgets.py" line="350" />
        <source>More (page %1 of %2)</source>
        <translation>下一页（第%1页/共%2页）</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="545" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="546" />
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../window.py" line="192" />
        <source>Larger text</source>
        <translation>放大字体</translation>
    </message>
    <message>
        <location filename="../window.py" line="193" />
        <source>Normal text size</source>
        <translation>恢复正常字体</translation>
    </message>
    <message>
        <location filename="../window.py" line="194" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../window.py" line="195" />
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../window.py" line="196" />
        <source>Read aloud</source>
        <translation>朗读</translation>
    </message>
    <message>
        <location filename="../window.py" line="312" />
        <source>Step %1 of %2</source>
        <translation>第%1步/共%2步</translation>
    </message>
</context>
</TS>
