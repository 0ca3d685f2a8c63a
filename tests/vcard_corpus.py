"""A generated address book that looks like real phones' and mail programs' exports (shared by the vCard
tests and bench/bench_vcard.py): vCard 2.1, 3.0 and 4.0 cards with Cyrillic and Latin names, several
phones and e-mails, organisations with departments, birthdays in three spellings, addresses, notes with
escapes, folded lines (some folds inside a multi-byte letter), quoted-printable values with soft breaks,
base64 photos, Apple's grouped labels, categories, and a few broken cards."""

from __future__ import annotations

import base64

FAMILY = ["Иванов", "Петрова", "Smith", "Müller", "Сидоренко", "O'Brien", "Ньютон", "García", "Łukasz", "Ёлкин"]
GIVEN = ["Иван", "Анна", "John", "Jürgen", "Пётр", "Siobhán", "Жанна", "José", "Zoë", "Фёкла"]
ORGS = ["Ромашка", "Acme Corp", "Вектор-М", "Müller & Söhne GmbH", "Северный ветер", "Initech", "Ёж и Ко"]
PHOTO = base64.b64encode(bytes(range(256)) * 3).decode("ascii")


def _fold(line: str, width: int = 75) -> str:
    """Fold on bytes as real exporters do, so some folds cut a UTF-8 letter in two."""
    data = line.encode("utf-8")
    parts = [data[index : index + width] for index in range(0, len(data), width)]
    return "\r\n ".join(part.decode("utf-8", errors="surrogateescape") for part in parts)


def _qp(text: str) -> str:
    encoded = "".join(f"={byte:02X}" if byte > 126 or byte in (61,) else chr(byte) for byte in text.encode())
    # soft line breaks every ~60 characters, sometimes inside an escaped byte's neighbourhood
    return "=\r\n".join(encoded[index : index + 60] for index in range(0, len(encoded), 60))


def card(n: int) -> str:
    """The ``n``-th card (text with CRLF line ends; folded lines may hold lone surrogates, see ``corpus``)."""
    family, given = FAMILY[n % len(FAMILY)], GIVEN[(n // 3) % len(GIVEN)]
    org = ORGS[(n // 7) % len(ORGS)]
    version = ("3.0", "3.0", "4.0", "2.1")[n % 4]
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if n % 97 == 13:
        lines.append("this line is no property")  # a broken card
    if version == "2.1" and n % 8 == 3:
        lines.append(f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(f'{family} {n};{given};;;')}")
        lines.append(f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(f'{given} {family} {n}')}")
    else:
        middle = "Петрович" if n % 5 == 0 else ""
        lines.append(f"N:{family} {n};{given};{middle};{'Dr.' if n % 11 == 0 else ''};")
        if n % 23 != 5:  # some cards have no FN
            full = f"{given} {family} {n}"
            if n % 9 == 0:
                full = f"{family} {n}\\, {given}"  # an escaped comma
            elif n % 17 == 0:
                full = f"{family} {n}, {given}"  # an unescaped one (vCard 2.1 writers)
            lines.append(_fold(f"FN:{full}", 20 + n % 13))
    if n % 6 != 1:
        department = ";Отдел продаж;Восток" if n % 4 == 0 else (";Sales" if n % 3 == 0 else "")
        lines.append(f"ORG:{org}{department}")
    if n % 3 == 0:
        lines.append("TITLE:Менеджер по закупкам" if n % 2 else "TITLE:Head of Procurement\\, EMEA")
    elif n % 5 == 1:
        lines.append("ROLE:Buyer")
    tel_type = "CELL" if version == "2.1" else "TYPE=CELL"
    lines.append(f"TEL;{tel_type}:+7 495 {n:07d}")
    if n % 2 == 0:
        lines.append(f"TEL;TYPE=WORK,VOICE:+49 30 {n % 10_000_000:07d}")
    if version == "4.0" and n % 8 == 2:
        lines.append(f"TEL;VALUE=uri;TYPE=home:tel:+1-555-{n % 10000:04d}")
    if n % 10 != 7:
        lines.append(f"EMAIL;TYPE=INTERNET:person{n}@example.com")
    if n % 4 == 1:
        lines.append(f"item1.EMAIL;type=INTERNET;type=pref:{given.lower()}.{n}@почта.рф")
        lines.append("item1.X-ABLabel:_$!<Other>!$_")
    birthdays = [f"19{60 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}", f"19{60 + n % 40}{1 + n % 12:02d}12", "--0312"]
    if n % 3 != 2:
        lines.append(f"BDAY:{birthdays[n % 3]}")
    if n % 4 == 2:
        lines.append(f"ADR;TYPE=WORK:;;ул. Ленина\\, д. {n};Москва;;1010{n % 100:02d};Россия")
    if n % 5 == 3:
        note = f"Встреча на выставке\\nлюбит гольф; звонить после {n % 12 + 8}:00, не раньше"
        lines.append(_fold(f"NOTE:{note}" * (1 + n % 3), 40 + n % 30))
    if version == "2.1" and n % 8 == 7:
        lines.append(f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(f'Заметка {n}: важный клиент')}")
    if n % 7 == 4:
        lines.append("CATEGORIES:Клиенты,VIP")
    if n % 19 == 6:
        if version == "2.1":
            body = "\r\n  ".join(PHOTO[index : index + 72] for index in range(0, len(PHOTO), 72))
            lines.append(f"PHOTO;ENCODING=BASE64;JPEG:{body}\r\n")
        else:
            lines.append(_fold(f"PHOTO;ENCODING=b;TYPE=JPEG:{PHOTO}"))
    if n % 2 == 1:
        lines.append(f"UID:urn:uuid:00000000-0000-4000-8000-{n:012d}")
    lines.append("X-SOCIALPROFILE;type=twitter:https://twitter.com/someone")
    if n % 31 != 30:
        lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n" + ("\r\n" if n % 13 == 0 else "")


def corpus(cards: int, start: int = 0) -> bytes:
    """``cards`` cards as the bytes of one .vcf file (UTF-8; a fold may cut a letter in two)."""
    return "".join(card(n) for n in range(start, start + cards)).encode("utf-8", errors="surrogateescape")
