"""Where a Chinese line may not break (inside a word, a short quoted button name, before closing or after opening
punctuation, before a sentence's lone last character): joined with U+2060 WORD JOINER, which Qt never breaks at."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from kiosk.catalog.model import Catalog

WJ = "\u2060"
OPENING = "“‘（(《〈「『【〔［"
CLOSING = "”’）)》〉」』】〕］，。、；：？！…·%％,.;:?!"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"

# Words the kiosk's own sentences use (the service catalog adds its names: `catalog_words`). Longest first wins.
WORDS: tuple[str, ...] = (
    "下一步", "上一步", "下一页", "上一页", "返回", "首页", "提交", "完成", "登录", "退出登录", "确认", "跳过",
    "身份证", "居民身份证", "身份证号", "身份证号码", "电子身份证", "社保卡", "证件", "证件号码", "工作证",
    "读卡区", "读卡器", "摄像头", "扫码器", "打印机", "数字键", "屏幕",
    "志愿者", "工作人员", "服务台", "服务站", "管理人员", "大厅", "窗口", "人工窗口", "优先窗口", "普通窗口",
    "疑难事项", "绿色通道", "长者专区", "长者", "专区",
    "取号", "排队号", "优先号", "号码", "受理号", "回执", "叫号", "等候",
    "电话", "电话号码", "手机号码", "联系电话", "座机", "区号", "密码",
    "代办", "被代办人", "代办人", "授权", "授权书", "授权码", "纸质", "电子", "证照",
    "健康码", "健康核验", "核验", "核对", "办理", "事项", "材料", "申请", "业务", "类别", "查询", "打印",
    "网络", "恢复", "呼叫", "求助", "批量", "请稍等", "稍等", "时间", "需要", "清除", "信息", "联系", "选择",
    "输入", "放到", "拿走", "取回", "取走", "请问", "您好", "谢谢", "不用", "已经", "可以", "一下", "点一下",
    "本人", "本机", "读取", "共享", "户籍", "医保", "社保", "养老金", "资格认证", "领取", "认证", "发放",
    "年月日", "例如", "数字", "字号", "标准", "特大", "更大", "协助", "协助中", "办不了", "正常", "暂时",
    "填写", "问题", "答案", "原因", "个人", "家庭", "老年人", "退休", "退休证", "户口簿", "结婚证",
    "残疾人证", "粤省事", "暂不可用", "不可用", "请核对", "不完整", "不对", "错误", "锁定", "联系不上",
    "出示", "直接", "开具", "登记", "帮忙", "过期", "可能", "今天", "这个", "两位", "逐一", "每位", "办理人",
    "机器", "提示", "无法", "人工", "其他", "情况", "没带", "不齐", "市民", "菜单", "退出", "自助", "终端",
    "入口", "优待证", "照片", "白底", "一寸", "近期", "留意", "拿好", "平放", "下方", "对准", "手机", "完成",
    "纸质材料",
)

_FLOOR = r"\d+楼[A-Z]区"  # 1楼A区: a place in the hall


def catalog_words(catalog: Catalog) -> list[str]:
    """Short names from the service catalog (materials, categories, windows, sources), each kept whole."""
    out: list[str] = []
    texts = [m.name.zh for i in catalog.items for m in i.materials]
    texts += [w.source.zh for i in catalog.items for m in i.materials for w in m.waived_by]
    texts += [c.name.zh for c in catalog.categories] + [d.window.zh for d in catalog.departments]
    for text in texts:
        for part in re.split(rf"[{re.escape(OPENING + CLOSING)}\s]+", text):
            if 2 <= len(part) <= 6:  # longer names break between their own words, as any sentence does
                out.append(part)
    return out


class Joiner:
    """Marks where a line may not break, for a given word list (the kiosk's words and the catalog's)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = sorted({w for w in (*WORDS, *words) if len(w) > 1}, key=len, reverse=True)
        # A closing mark stays with what it closes; an opening mark with what it opens; the last character of a
        # sentence stays with the one before it (no "号。" alone on a line).
        self._before_closing = re.compile(rf"(?<=[^\s{WJ}])(?=[{re.escape(CLOSING)}])")
        self._after_opening = re.compile(rf"(?<=[{re.escape(OPENING)}])(?=[^\s{WJ}])")
        # A short quoted name (a button: “下一步”, “再办一次”) is one unit: its words are the button's.
        self._quoted = re.compile(r"(?<=“)[^“”\s]{2,8}(?=”)")
        self._lone_last = re.compile(rf"(?<=[{_CJK}])(?=[{_CJK}]{WJ}?[{re.escape(CLOSING)}])")

    @functools.cached_property
    def _word(self) -> re.Pattern[str]:
        """Any of the words, compiled on first use (a few hundred alternatives: milliseconds a kiosk start that
        replaces the default joiner with the catalog's would otherwise spend twice)."""
        return re.compile("|".join([_FLOOR, *(re.escape(w) for w in self.words)]))

    def join(self, text: str) -> str:
        """`text` with word joiners where no line may break; idempotent, and `unjoin` gives `text` back."""
        if not text or not re.search(f"[{_CJK}]", text):
            return text
        text = unjoin(text)
        text = self._word.sub(lambda m: WJ.join(m.group(0)), text)
        text = self._quoted.sub(lambda m: WJ.join(unjoin(m.group(0))), text)
        text = self._before_closing.sub(WJ, text)
        text = self._after_opening.sub(WJ, text)
        text = self._lone_last.sub(WJ, text)
        return re.sub(f"{WJ}+", WJ, text)

    def forbidden(self, text: str) -> set[int]:
        """Offsets in `text` (without joiners) where no line may break: a break at i falls between text[i-1] and
        text[i]. What a test checks the real layout against."""
        joined = self.join(text)
        out: set[int] = set()
        i = 0
        for ch in joined:
            if ch == WJ:
                out.add(i)
            else:
                i += 1
        return out


def unjoin(text: str) -> str:
    return text.replace(WJ, "")
