"""Generate the PDF notices of the bundled demo archive (banwatch/demo/pages/*.pdf).

Run from the repository root:  .venv/bin/python banwatch/demo/make_pdfs.py

The PDFs are committed; this script only has to run again after editing a text below.
The text of each PDF is a reconstruction written for banwatch (a summary in our own words,
never the original document), and each says so on its first line.

A minimal PDF writer is hand-written here (one font, plain text lines) because the project
needs PDFs only as fixtures; pulling reportlab into the pinned dependencies for that is not
worth it. pypdf (already a dependency) reads the result back, which tests/test_app_demo_manifest.py
checks.
"""
import textwrap
import zlib
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"

PAGE_W, PAGE_H = 612, 792  # US Letter, points
MARGIN, LEADING, FONT_SIZE = 60, 14, 10.5
WRAP = 92  # characters per line at this font size


def _escape(line):
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _lines(paragraphs):
    out = []
    for para in paragraphs:
        if para.startswith("# "):  # a heading line
            out.append(("B", para[2:]))
        else:
            out.extend(("R", w) for w in textwrap.wrap(para, WRAP) or [""])
        out.append(("R", ""))
    return out


def build_pdf(title, paragraphs, author="banwatch demo archive"):
    """Bytes of a valid PDF 1.4 with WinAnsi Helvetica text, paginated."""
    per_page = int((PAGE_H - 2 * MARGIN) / LEADING)
    lines = _lines(paragraphs)
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]

    objects = []  # index 0 -> object 1

    def add(body):
        objects.append(body)
        return len(objects)

    font_r = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    font_b = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    pages_id = len(objects) + 1 + 2 * len(pages)  # reserved: after every page's content + page object
    page_ids = []
    for chunk in pages:
        ops = ["BT", f"{LEADING} TL", f"{MARGIN} {PAGE_H - MARGIN} Td"]
        for style, text in chunk:
            font = "/F2" if style == "B" else "/F1"
            ops.append(f"{font} {FONT_SIZE} Tf ({_escape(text)}) Tj T*")
        ops.append("ET")
        stream = zlib.compress("\n".join(ops).encode("cp1252"))
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 {font_r} 0 R /F2 {font_b} 0 R >> >> /Contents {content} 0 R >>".encode()))
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()) == pages_id
    info = add(f"<< /Title ({_escape(title)}) /Author ({_escape(author)}) /Producer (banwatch make_pdfs.py) >>".encode("cp1252"))
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info, xref)
    return bytes(out)


def corrupt_pdf():
    """A 'PDF' cut off in its first object, with no xref or trailer: it must fail to parse."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R"
    noise = bytes((i * 97 + 13) % 251 for i in range(600))  # deterministic binary junk
    return head + b"\n" + noise


NOTE = "[banwatch demo: a reconstruction written for the demo archive - a summary in our own words, not the original document.]"

DOCUMENTS = {
    "virginia-executive-order-46-2025.pdf": ("Virginia Executive Order 46 (2025) - DeepSeek on state devices (reconstruction)", [
        NOTE,
        "# COMMONWEALTH OF VIRGINIA - OFFICE OF THE GOVERNOR",
        "# EXECUTIVE ORDER NUMBER FORTY-SIX (2025)",
        "Subject: the DeepSeek artificial intelligence application on state government devices and state-run networks. "
        "Issued by Governor Glenn Youngkin on February 11, 2025.",
        "# Importance of the issue",
        "The Governor finds that DeepSeek, an artificial intelligence application developed by a company in the "
        "People's Republic of China, poses a threat to the security and safety of the citizens of the Commonwealth, "
        "and that the Commonwealth must keep taking steps to safeguard its operations and information from the "
        "Chinese Communist Party.",
        "State information technology holds vital data, including personally identifiable information, tax data, "
        "health records and intellectual property. Security researchers have reported that DeepSeek lacks robust "
        "safeguards and is easily jailbroken: in tests published by Cisco, the model failed to block any of the "
        "harmful prompts it was given, which leaves it open to exploitation and to generating malicious content.",
        "# Directive",
        "No employee of an executive branch agency of the Commonwealth shall download or use the DeepSeek "
        "application on any government-issued device, including state-issued cell phones and laptops.",
        "Downloading or accessing DeepSeek on any state-run network is prohibited.",
        "# Background",
        "The order builds on Executive Order 24 of December 2022, which banned applications developed by ByteDance "
        "Limited or Tencent Holdings Limited, including TikTok and WeChat, on state government devices and state-run "
        "wireless networks.",
    ]),
    "berlin-blnbdi-press-release-deepseek-2025-06-27.pdf": ("Berlin Commissioner for Data Protection and Freedom of Information - DeepSeek (reconstruction)", [
        NOTE,
        "# Berlin Commissioner for Data Protection and Freedom of Information",
        "Press release - Berlin, 27 June 2025",
        "# DeepSeek reported to Apple and Google as illegal content",
        "The Berlin Commissioner for Data Protection and Freedom of Information, Meike Kamp, has notified Apple and "
        "Google, as operators of the largest app stores, that the DeepSeek app is illegal content under the Digital "
        "Services Act, because it transfers the personal data of users in Germany to China unlawfully.",
        "DeepSeek is offered by Hangzhou DeepSeek Artificial Intelligence, a company with no establishment in the "
        "European Union. Its apps are available in Germany through Google Play and Apple's App Store with German "
        "descriptions and can be used in German, so the General Data Protection Regulation applies to the service.",
        "The company has not been able to show the Commissioner convincingly that the data of German users is "
        "protected in China at a level equivalent to that in the European Union. Chinese authorities have "
        "far-reaching powers to access personal data held by companies within their sphere of influence, and users "
        "have no enforceable rights or effective legal remedies in China of the kind guaranteed in the EU. A transfer "
        "without such safeguards breaches Article 46(1) GDPR.",
        "On 6 May 2025 the Commissioner asked DeepSeek either to meet the legal requirements for transfers to third "
        "countries or to remove its apps from the German app stores voluntarily. The company did neither.",
        "The Commissioner has therefore used the notice procedure of Article 16 of the Digital Services Act. Apple and "
        "Google must now examine the notice promptly and decide whether to block the app in Germany.",
        "The step was taken in close coordination with the data protection supervisory authorities of "
        "Baden-Wuerttemberg, Rhineland-Palatinate and the Free Hanseatic City of Bremen, after informing the Digital "
        "Services Coordinator at the Federal Network Agency (Bundesnetzagentur).",
    ]),
    "govinfo-fr-2023-11756.pdf": ("Federal Register 88 FR 36430 (FR Doc. 2023-11756) - summary (reconstruction)", [
        NOTE,
        "# Federal Register / Vol. 88, No. 106 / Friday, June 2, 2023 / Rules and Regulations",
        "# Federal Acquisition Regulation: Prohibition on a ByteDance Covered Application",
        "Agencies: Department of Defense (DoD), General Services Administration (GSA) and National Aeronautics and "
        "Space Administration (NASA). Action: interim rule. FAR Case 2023-010, Federal Acquisition Circular 2023-04. "
        "FR Doc. 2023-11756. Effective June 2, 2023.",
        "Summary: the interim rule amends the Federal Acquisition Regulation to implement section 102 of Division R of "
        "the Consolidated Appropriations Act, 2023 (the No TikTok on Government Devices Act) and OMB Memorandum "
        "M-23-13. It prohibits the presence or use of TikTok, or any successor application or service developed or "
        "provided by ByteDance Limited or an entity owned by ByteDance, on information technology owned or managed "
        "by the Government, including information technology used by contractors in performing Government "
        "contracts, subject to exceptions for law enforcement, national security and security research.",
        "TikTok is a social media application, not an AI tool: this document should yield no event.",
    ]),
    "govinfo-fr-2023-24283.pdf": ("Federal Register 88 FR 75191 (FR Doc. 2023-24283) - summary (reconstruction)", [
        NOTE,
        "# Federal Register / Vol. 88, No. 210 / Wednesday, November 1, 2023 / Presidential Documents",
        "# Executive Order 14110 of October 30, 2023: Safe, Secure, and Trustworthy Development and Use of Artificial Intelligence",
        "FR Doc. 2023-24283.",
        "Summary: the order sets a government-wide approach to artificial intelligence. It directs the Secretary of "
        "Commerce, through NIST, to develop guidelines and best practices for AI safety and security, including "
        "red-team testing; requires developers of the most capable dual-use foundation models to report training and "
        "safety-testing information to the federal government; and asks the Director of OMB to convene an "
        "interagency council and issue guidance on federal agencies' use of AI, with each agency designating a Chief "
        "Artificial Intelligence Officer.",
        "The order restricts no particular AI tool: this document should yield no event.",
    ]),
}


def main():
    PAGES.mkdir(parents=True, exist_ok=True)
    for name, (title, paragraphs) in DOCUMENTS.items():
        (PAGES / name).write_bytes(build_pdf(title, paragraphs))
    (PAGES / "demo-texas-prohibited-technologies-corrupt.pdf").write_bytes(corrupt_pdf())
    print(f"wrote {len(DOCUMENTS) + 1} PDFs to {PAGES}")


if __name__ == "__main__":
    main()
