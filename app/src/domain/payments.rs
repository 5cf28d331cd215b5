//! Paying approved claims by bank transfer: the banks and account numbers a payment may go
//! to, the batch file handed to the bank, and the bank's result file read back.
//!
//! Both files are plain CSV, so finance staff can open them in a spreadsheet and any bank
//! can read and write them. The result file comes from outside, so it is checked in full
//! here, every problem reported with its line, before anything is recorded as paid.
//!
//! ## Payment batch CSV layout
//!
//! UTF-8 with a byte-order mark (so spreadsheets read Thai), CRLF line ends, one header row
//! with the column names below, then one line per payment. Fields are quoted as RFC 4180
//! says: when they hold a comma, a double quote or a line break, with quotes inside doubled.
//! A text field that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) gets a
//! leading apostrophe, so a spreadsheet shows it rather than runs it as a formula; a plain
//! number such as `-500` does not.
//!
//! | # | column | content | example |
//! |---|--------|---------|---------|
//! | 1 | `batch_id` | the batch this file pays, the same on every line | `PAY-2569-0007` |
//! | 2 | `line` | 1, 2, 3… in file order | `1` |
//! | 3 | `reference` | the claim's reference | `S41-2569-7KQ4M2` |
//! | 4 | `payee_name` | the person paid | `สมชาย ใจดี` |
//! | 5 | `national_id` | the payee's 13-digit ID, digits only | `1101700230708` |
//! | 6 | `bank_code` | Bank of Thailand code, 3 digits with leading zeros | `006` |
//! | 7 | `bank_name` | the bank's Thai name | `ธนาคารกรุงไทย` |
//! | 8 | `account_number` | digits only | `1234567890` |
//! | 9 | `account_holder` | the name on the account | `สมชาย ใจดี` |
//! | 10 | `amount_baht` | baht with two decimals, no separators | `240000.00` |
//! | 11 | `region` | NHSO region paying, 1–13 | `7` |
//!
//! ## Payment result CSV layout (from the bank)
//!
//! UTF-8, byte-order mark optional, CRLF or LF line ends, RFC 4180 quoting. A header row is
//! required; names are matched ignoring case and surrounding spaces, columns may come in
//! any order and other columns are ignored. Blank lines are skipped. Values are trimmed,
//! and a leading apostrophe (ours, or a spreadsheet's "this is text" mark) is dropped.
//!
//! | column | content | example |
//! |--------|---------|---------|
//! | `batch_id` | the batch, as sent | `PAY-2569-0007` |
//! | `reference` | the claim's reference, as sent (case and spaces do not matter) | `S41-2569-7KQ4M2` |
//! | `result` | `paid` or `failed` (any case), or Thai `สำเร็จ` / `ไม่สำเร็จ` | `paid` |
//! | `date` | day of transfer: `2026-03-05`, or `05/03/2569` (a year after 2400 is Buddhist era, in either form); required when paid | `2026-03-05` |
//! | `transfer_ref` | the bank's reference for the transfer, at most 100 characters; required when paid | `TRX88812345` |
//! | `reason` | why it failed, at most 100 characters; required when failed | `บัญชีปิดแล้ว` |
//!
//! A reference may appear only once in a file. Line numbers in errors count the file's
//! lines from 1 (the header), so they match what a text editor shows; a record with a line
//! break inside quotes is numbered by the line it starts on.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::BE_OFFSET;
use super::national_id::mask;
use super::petition::{is_control, ErrorCode, FieldError};
use super::reference::normalise_reference;

// ---------------------------------------------------------------------------------------
// Banks and accounts
// ---------------------------------------------------------------------------------------

/// A Thai bank a payment can go to, known by its Bank of Thailand code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bank {
    /// Three digits with the leading zeros kept ("006"), as banks' files write it.
    pub code: &'static str,
    pub name_th: &'static str,
    pub name_en: &'static str,
    /// How many digits its account numbers have.
    pub account_lengths: &'static [usize],
}

const fn bank(
    code: &'static str,
    th: &'static str,
    en: &'static str,
    len: &'static [usize],
) -> Bank {
    Bank {
        code,
        name_th: th,
        name_en: en,
        account_lengths: len,
    }
}

impl Bank {
    /// The banks we pay into, in code order.
    pub const ALL: &'static [Bank] = &[
        bank("002", "ธนาคารกรุงเทพ", "Bangkok Bank", &[10]),
        bank("004", "ธนาคารกสิกรไทย", "Kasikornbank", &[10]),
        bank("006", "ธนาคารกรุงไทย", "Krungthai Bank", &[10]),
        bank("011", "ธนาคารทหารไทยธนชาต", "TMBThanachart Bank", &[10]),
        bank("014", "ธนาคารไทยพาณิชย์", "Siam Commercial Bank", &[10]),
        bank("022", "ธนาคารซีไอเอ็มบี ไทย", "CIMB Thai Bank", &[10]),
        bank("024", "ธนาคารยูโอบี", "UOB Thailand", &[10]),
        bank(
            "025",
            "ธนาคารกรุงศรีอยุธยา",
            "Krungsri (Bank of Ayudhya)",
            &[10],
        ),
        bank("030", "ธนาคารออมสิน", "Government Savings Bank", &[12]),
        bank(
            "033",
            "ธนาคารอาคารสงเคราะห์",
            "Government Housing Bank",
            &[12],
        ),
        bank(
            "034",
            "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร",
            "Bank for Agriculture and Agricultural Cooperatives (BAAC)",
            &[12],
        ),
        bank(
            "066",
            "ธนาคารอิสลามแห่งประเทศไทย",
            "Islamic Bank of Thailand",
            &[10],
        ),
        bank("067", "ธนาคารทิสโก้", "Tisco Bank", &[14]),
        bank("069", "ธนาคารเกียรตินาคินภัทร", "Kiatnakin Phatra Bank", &[10]),
        bank("073", "ธนาคารแลนด์ แอนด์ เฮ้าส์", "LH Bank", &[10]),
    ];

    /// The bank with this code. Surrounding spaces and Thai digits are accepted; the code
    /// must have its three digits ("6" is not "006": a spreadsheet that dropped the zeros
    /// may have dropped more).
    pub fn by_code(code: &str) -> Option<&'static Bank> {
        let code = ascii_digits(code.trim());
        Self::ALL.iter().find(|b| b.code == code)
    }

    pub fn name(&self, thai: bool) -> &'static str {
        if thai {
            self.name_th
        } else {
            self.name_en
        }
    }

    /// The account number as this bank writes it: the digits typed, without the spaces and
    /// dashes people copy from a passbook ("123-4-56789-0"), and of the bank's length.
    pub fn account_number(&self, typed: &str) -> Result<String, AccountNumberError> {
        let digits = account_digits(typed)?;
        if self.account_lengths.contains(&digits.len()) {
            Ok(digits)
        } else {
            Err(AccountNumberError::WrongLength {
                got: digits.len(),
                expected: self.account_lengths,
            })
        }
    }
}

/// Thai digits (๐–๙), which a Thai keyboard layout types, as ASCII digits.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '๐'..='๙' => char::from(b'0' + (u32::from(c) - u32::from('๐')) as u8),
            _ => c,
        })
        .collect()
}

/// The digits of an account number as typed, whatever the bank.
fn account_digits(typed: &str) -> Result<String, AccountNumberError> {
    let digits: String = ascii_digits(typed)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        Err(AccountNumberError::Missing)
    } else if !digits.bytes().all(|b| b.is_ascii_digit()) {
        Err(AccountNumberError::NotDigits)
    } else {
        Ok(digits)
    }
}

/// Why what was typed is not an account number: said precisely by `message`, and by `code`
/// as the shared code for a `FieldError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountNumberError {
    Missing,
    /// Something besides digits, spaces and dashes.
    NotDigits,
    /// Digits, but not as many as the bank's account numbers have.
    WrongLength {
        got: usize,
        expected: &'static [usize],
    },
}

impl AccountNumberError {
    /// The shared code: Required; DigitsOnly for other characters; TooShort or TooLong
    /// naming the bank's length for a wrong length.
    pub fn code(&self) -> ErrorCode {
        match *self {
            Self::Missing => ErrorCode::Required,
            Self::NotDigits => ErrorCode::DigitsOnly,
            Self::WrongLength { got, expected } => {
                match expected.iter().copied().filter(|&n| n > got).min() {
                    Some(min) => ErrorCode::TooShort { min },
                    None => ErrorCode::TooLong {
                        max: expected.iter().copied().max().unwrap_or(0),
                    },
                }
            }
        }
    }

    pub fn message(&self, thai: bool) -> String {
        match (*self, thai) {
            (Self::Missing, true) => "โปรดกรอกเลขที่บัญชี".into(),
            (Self::Missing, false) => "Enter the account number".into(),
            (Self::NotDigits, true) => "เลขที่บัญชีต้องเป็นตัวเลขเท่านั้น".into(),
            (Self::NotDigits, false) => "The account number must be digits only".into(),
            (Self::WrongLength { got, expected }, true) => format!(
                "เลขที่บัญชีของธนาคารนี้มี {} หลัก (กรอกมา {got} หลัก)",
                lengths(expected, " หรือ ")
            ),
            (Self::WrongLength { got, expected }, false) => format!(
                "Account numbers at this bank have {} digits ({got} given)",
                lengths(expected, " or ")
            ),
        }
    }
}

fn lengths(ns: &[usize], or: &str) -> String {
    ns.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(or)
}

/// The shortest and longest account holder's name we accept.
pub const HOLDER_MIN: usize = 2;
pub const HOLDER_MAX: usize = 100;

/// An account a payment can be sent to: a known bank, a number of its length, a holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub bank_code: String,
    /// Digits only.
    pub number: String,
    pub holder: String,
}

impl BankAccount {
    /// Shown outside the payment screens: bullets for all but the last four digits.
    pub fn masked(&self) -> String {
        mask(&self.number)
    }

    pub fn bank(&self) -> Option<&'static Bank> {
        Bank::by_code(&self.bank_code)
    }
}

/// Checks an account as typed into the form, reporting every field at fault at once on
/// `bank_code`, `account_number` and `account_holder`.
pub fn parse_account(
    bank_code: &str,
    number: &str,
    holder: &str,
) -> Result<BankAccount, Vec<FieldError>> {
    let mut errors = Vec::new();
    let bank = Bank::by_code(bank_code);
    if bank.is_none() {
        let code = if bank_code.trim().is_empty() {
            ErrorCode::Required
        } else {
            ErrorCode::InvalidChoice
        };
        errors.push(FieldError::new("bank_code", code));
    }
    // Without a bank the length is unknown, but other characters are still worth telling.
    let number = match bank {
        Some(b) => b.account_number(number),
        None => account_digits(number),
    };
    if let Err(e) = &number {
        errors.push(FieldError::new("account_number", e.code()));
    }
    let holder = holder.trim();
    if let Some(code) = holder_problem(holder) {
        errors.push(FieldError::new("account_holder", code));
    }
    match (bank, number) {
        (Some(bank), Ok(number)) if errors.is_empty() => Ok(BankAccount {
            bank_code: bank.code.to_string(),
            number,
            holder: holder.to_string(),
        }),
        _ => Err(errors),
    }
}

fn holder_problem(holder: &str) -> Option<ErrorCode> {
    let n = holder.chars().count();
    if n == 0 {
        Some(ErrorCode::Required)
    } else if n < HOLDER_MIN {
        Some(ErrorCode::TooShort { min: HOLDER_MIN })
    } else if n > HOLDER_MAX {
        Some(ErrorCode::TooLong { max: HOLDER_MAX })
    } else if holder.chars().any(is_control) {
        Some(ErrorCode::ControlCharacters)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------
// The batch file sent to the bank
// ---------------------------------------------------------------------------------------

pub use super::csv::BOM;
use super::csv::line as csv_row;

/// The batch file's header row, in order (see the layout in the module documentation).
pub const BATCH_COLUMNS: [&str; 11] = [
    "batch_id",
    "line",
    "reference",
    "payee_name",
    "national_id",
    "bank_code",
    "bank_name",
    "account_number",
    "account_holder",
    "amount_baht",
    "region",
];

/// One payment in a batch, as checked and approved before the file is made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchLine {
    pub reference: String,
    pub payee_name: String,
    pub national_id: String,
    pub bank_code: String,
    pub account_number: String,
    pub account_holder: String,
    /// Whole baht: awards are decided in baht.
    pub amount_baht: i64,
    pub region: u8,
}

/// The batch file for the bank (layout in the module documentation). A bank code we do not
/// know leaves the bank name empty rather than failing: the lines were checked on entry.
pub fn batch_csv(batch_id: &str, lines: &[BatchLine]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&csv_row(&BATCH_COLUMNS));
    for (i, l) in lines.iter().enumerate() {
        let number = (i + 1).to_string();
        let bank_name = Bank::by_code(&l.bank_code).map_or("", |b| b.name_th);
        let amount = baht_with_decimals(l.amount_baht);
        let region = l.region.to_string();
        out.push_str(&csv_row(&[
            batch_id,
            &number,
            &l.reference,
            &l.payee_name,
            &l.national_id,
            &l.bank_code,
            bank_name,
            &l.account_number,
            &l.account_holder,
            &amount,
            &region,
        ]));
    }
    out
}

/// "240000.00": banks' files carry satang, ours are always whole baht.
fn baht_with_decimals(baht: i64) -> String {
    format!("{baht}.00")
}

// ---------------------------------------------------------------------------------------
// Reading CSV
// ---------------------------------------------------------------------------------------

/// One CSV record: its fields unquoted but not trimmed, and the line it starts on.
#[derive(Debug, PartialEq)]
struct Record {
    line: usize,
    fields: Vec<String>,
    /// The text ended inside quotes: the rest of the file was swallowed into this record.
    unclosed_quote: bool,
}

impl Record {
    fn is_blank(&self) -> bool {
        !self.unclosed_quote && self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Splits CSV text into records (RFC 4180). Leniently, as spreadsheets and banks write it:
/// LF or CR alone also end a line, spaces before an opening quote are dropped, and a quote
/// in the middle of an unquoted field is kept as it is.
fn records(text: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let (mut in_quotes, mut had_quotes) = (false, false);
    let (mut line, mut start) = (1, 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => {
                    if (c == '\n' || c == '\r') && !crlf {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if !had_quotes && field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
                had_quotes = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                had_quotes = false;
            }
            '\r' | '\n' => {
                if crlf {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                out.push(Record {
                    line: start,
                    fields: std::mem::take(&mut fields),
                    unclosed_quote: false,
                });
                had_quotes = false;
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes || had_quotes || !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push(Record {
            line: start,
            fields,
            unclosed_quote: in_quotes,
        });
    }
    out
}

/// A cell's value: trimmed, without the apostrophe our export or a spreadsheet puts before
/// text it must not read as a number or formula.
fn cell(field: &str) -> String {
    let t = field.trim();
    t.strip_prefix('\'').unwrap_or(t).trim().to_string()
}

// ---------------------------------------------------------------------------------------
// The result file read back from the bank
// ---------------------------------------------------------------------------------------

/// The result file's columns (see the layout in the module documentation).
pub const RESULT_COLUMNS: [&str; 6] = [
    "batch_id",
    "reference",
    "result",
    "date",
    "transfer_ref",
    "reason",
];

/// The longest transfer reference or failure reason kept.
pub const MAX_RESULT_TEXT: usize = 100;

/// What the bank did with one payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    Paid {
        on: NaiveDate,
        transfer_ref: String,
    },
    Failed {
        reason: String,
        on: Option<NaiveDate>,
    },
}

/// One line of the result file, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    /// The line in the file, counting the header as 1.
    pub line: usize,
    pub batch_id: String,
    /// Normalised with `normalise_reference`.
    pub reference: String,
    pub outcome: Outcome,
}

/// A problem with the result file. Messages do not repeat the line number: `text` adds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    /// The line in the file, counting the header as 1; problems with the file as a whole
    /// (empty, no result lines, a missing column) are on line 1.
    pub line: usize,
    pub message_th: String,
    pub message_en: String,
}

impl LineError {
    fn new(line: usize, th: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            line,
            message_th: th.into(),
            message_en: en.into(),
        }
    }

    /// "บรรทัด 3: ไม่มีวันที่โอน (date)" / "Line 3: The transfer date (date) is missing".
    pub fn text(&self, thai: bool) -> String {
        if thai {
            format!("บรรทัด {}: {}", self.line, self.message_th)
        } else {
            format!("Line {}: {}", self.line, self.message_en)
        }
    }
}

/// Reads the bank's result file. Every problem in the file is reported, not just the first,
/// so staff can correct it in one go; nothing is returned unless the whole file is sound.
/// Only a header lacking a column (or naming one twice) stops there: no line can be read.
pub fn parse_results(text: &str) -> Result<Vec<ResultLine>, Vec<LineError>> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut records = records(text).into_iter().filter(|r| !r.is_blank());
    let Some(header) = records.next() else {
        return Err(vec![LineError::new(1, "ไฟล์ว่างเปล่า", "The file is empty")]);
    };
    let rows: Vec<Record> = records.collect();
    let columns = columns(&header);
    let mut errors = columns.as_ref().err().cloned().unwrap_or_default();
    if rows.is_empty() {
        errors.push(LineError::new(
            header.line,
            "ไม่มีรายการผลการโอนในไฟล์",
            "The file has no result lines",
        ));
    }
    let Ok(columns) = columns else {
        return Err(errors);
    };
    let mut seen = BTreeMap::new();
    let mut lines = Vec::new();
    for row in &rows {
        match result_line(&columns, row, &mut seen) {
            Ok(l) => lines.push(l),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// Where each of `RESULT_COLUMNS` is in the file; every one must be there exactly once.
fn columns(header: &Record) -> Result<[usize; 6], Vec<LineError>> {
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|f| cell(f).to_lowercase())
        .collect();
    let mut at = [0; 6];
    let mut errors = Vec::new();
    if header.unclosed_quote {
        errors.push(unclosed_quote(header.line));
    }
    for (i, want) in RESULT_COLUMNS.iter().enumerate() {
        let found: Vec<usize> = (0..names.len()).filter(|&j| names[j] == *want).collect();
        match found[..] {
            [j] => at[i] = j,
            [] => errors.push(LineError::new(
                header.line,
                format!("ไม่มีคอลัมน์ {want} ในแถวหัวตาราง"),
                format!("The header row has no {want} column"),
            )),
            _ => errors.push(LineError::new(
                header.line,
                format!("คอลัมน์ {want} ซ้ำกันในแถวหัวตาราง"),
                format!("The header row has the {want} column more than once"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(at)
    } else {
        Err(errors)
    }
}

fn unclosed_quote(line: usize) -> LineError {
    LineError::new(
        line,
        "เครื่องหมายคำพูด (\") เปิดแล้วไม่ได้ปิด ข้อมูลที่เหลือในไฟล์จึงอ่านไม่ได้",
        "A quotation mark (\") is opened but never closed, so the rest of the file cannot be read",
    )
}

/// A value's name in messages: its meaning, and its column so staff find it in the file.
struct Label {
    th: &'static str,
    en: &'static str,
}

const BATCH_ID: Label = Label {
    th: "รหัสชุดการจ่าย (batch_id)",
    en: "The batch ID (batch_id)",
};
const REFERENCE: Label = Label {
    th: "เลขที่คำร้อง (reference)",
    en: "The claim reference (reference)",
};
const RESULT: Label = Label {
    th: "ผลการโอน (result)",
    en: "The result (result)",
};
const DATE: Label = Label {
    th: "วันที่โอน (date)",
    en: "The transfer date (date)",
};
const TRANSFER_REF: Label = Label {
    th: "เลขอ้างอิงการโอน (transfer_ref)",
    en: "The transfer reference (transfer_ref)",
};
const REASON: Label = Label {
    th: "เหตุผลที่โอนไม่สำเร็จ (reason)",
    en: "The reason the transfer failed (reason)",
};

/// The problems found on one line.
struct Problems {
    line: usize,
    found: Vec<LineError>,
}

impl Problems {
    fn add(&mut self, th: impl Into<String>, en: impl Into<String>) {
        self.found.push(LineError::new(self.line, th, en));
    }

    /// A value that must be there, free of control characters (a NUL cannot be stored).
    fn required(&mut self, value: &str, label: &Label) -> Option<String> {
        if value.is_empty() {
            self.add(
                format!("ไม่มี{}", label.th),
                format!("{} is missing", label.en),
            );
            None
        } else if value.chars().any(is_control) {
            self.add(
                format!("{}มีอักขระควบคุมที่มองไม่เห็น", label.th),
                format!("{} contains invisible control characters", label.en),
            );
            None
        } else {
            Some(value.to_string())
        }
    }

    /// A required value of at most `MAX_RESULT_TEXT` characters.
    fn capped(&mut self, value: &str, label: &Label) -> Option<String> {
        if value.chars().count() > MAX_RESULT_TEXT {
            self.add(
                format!("{}ยาวเกิน {MAX_RESULT_TEXT} ตัวอักษร", label.th),
                format!("{} is longer than {MAX_RESULT_TEXT} characters", label.en),
            );
            return None;
        }
        self.required(value, label)
    }

    fn date(&mut self, value: &str) -> Option<NaiveDate> {
        if value.is_empty() {
            self.required(value, &DATE);
            return None;
        }
        let date = result_date(value);
        if date.is_none() {
            self.add(
                format!(
                    "วันที่โอน \"{}\" ไม่ถูกต้อง ใช้รูปแบบ 2026-03-05 หรือ 05/03/2569",
                    shown(value)
                ),
                format!(
                    "The transfer date \"{}\" is not valid: write it as 2026-03-05 or 05/03/2026",
                    shown(value)
                ),
            );
        }
        date
    }
}

/// A value quoted back in a message, cut short so a stray paragraph does not flood the list.
fn shown(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() > MAX {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    } else {
        value.to_string()
    }
}

/// The values of one line, by column.
struct Values {
    batch_id: String,
    reference: String,
    result: String,
    date: String,
    transfer_ref: String,
    reason: String,
}

impl Values {
    /// A line shorter than the header reads as empty cells, which are then reported missing.
    fn of(row: &Record, at: &[usize; 6]) -> Self {
        // `at` is indexed in the order of `RESULT_COLUMNS`.
        let get = |i: usize| row.fields.get(at[i]).map(|f| cell(f)).unwrap_or_default();
        Self {
            batch_id: get(0),
            reference: get(1),
            result: get(2),
            date: get(3),
            transfer_ref: get(4),
            reason: get(5),
        }
    }
}

/// Checks one line; `seen` holds the references met so far and their lines.
fn result_line(
    at: &[usize; 6],
    row: &Record,
    seen: &mut BTreeMap<String, usize>,
) -> Result<ResultLine, Vec<LineError>> {
    let mut p = Problems {
        line: row.line,
        found: Vec::new(),
    };
    if row.unclosed_quote {
        return Err(vec![unclosed_quote(row.line)]);
    }
    let v = Values::of(row, at);
    let batch_id = p.required(&v.batch_id, &BATCH_ID);
    let reference = p
        .required(&v.reference, &REFERENCE)
        .map(|r| normalise_reference(&r));
    if let Some(r) = &reference {
        if let Some(first) = seen.get(r) {
            p.add(
                format!("เลขที่คำร้อง {} ซ้ำกับบรรทัด {first}", shown(r)),
                format!("The reference {} is already on line {first}", shown(r)),
            );
        } else {
            seen.insert(r.clone(), row.line);
        }
    }
    let outcome = outcome(&v, &mut p);
    match (batch_id, reference, outcome) {
        (Some(batch_id), Some(reference), Some(outcome)) if p.found.is_empty() => Ok(ResultLine {
            line: row.line,
            batch_id,
            reference,
            outcome,
        }),
        _ => Err(p.found),
    }
}

/// Paid needs the day and the bank's transfer reference; failed needs the reason.
fn outcome(v: &Values, p: &mut Problems) -> Option<Outcome> {
    match v.result.to_lowercase().as_str() {
        "paid" | "สำเร็จ" => {
            let on = p.date(&v.date);
            let transfer_ref = p.capped(&v.transfer_ref, &TRANSFER_REF);
            Some(Outcome::Paid {
                on: on?,
                transfer_ref: transfer_ref?,
            })
        }
        "failed" | "ไม่สำเร็จ" => {
            let on = if v.date.is_empty() {
                Some(None)
            } else {
                p.date(&v.date).map(Some)
            };
            let reason = p.capped(&v.reason, &REASON);
            Some(Outcome::Failed {
                reason: reason?,
                on: on?,
            })
        }
        "" => {
            p.required("", &RESULT);
            None
        }
        _ => {
            p.add(
                format!(
                    "ผลการโอน \"{}\" ไม่ถูกต้อง ต้องเป็น paid (สำเร็จ) หรือ failed (ไม่สำเร็จ)",
                    shown(&v.result)
                ),
                format!(
                    "The result \"{}\" is not valid: it must be paid or failed",
                    shown(&v.result)
                ),
            );
            None
        }
    }
}

/// `2026-03-05`, or `05/03/2569` / `5/3/2026` as Thai spreadsheets write it. A year after
/// 2400 is Buddhist era in either form: no transfer happens in Gregorian 2401, so a Thai
/// year written in ISO order is read as what was meant rather than as a date 543 years on.
fn result_date(value: &str) -> Option<NaiveDate> {
    let value = ascii_digits(value);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let (y, m, d) = match *value.split('-').collect::<Vec<_>>() {
        [y, m, d] if digits(y, 4..=4) && digits(m, 2..=2) && digits(d, 2..=2) => (y, m, d),
        _ => match *value.split('/').collect::<Vec<_>>() {
            [d, m, y] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => (y, m, d),
            _ => return None,
        },
    };
    let mut year: i32 = y.parse().ok()?;
    if year > 2400 {
        year -= BE_OFFSET;
    }
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::csv::{field as csv_field, looks_like_formula};
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn field_errors(r: Result<BankAccount, Vec<FieldError>>) -> Vec<(String, ErrorCode)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    // --- banks and accounts

    #[test]
    fn banks_are_known_by_their_three_digit_code() {
        assert_eq!(Bank::ALL.len(), 15);
        let mut codes: Vec<&str> = Bank::ALL.iter().map(|b| b.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), 15, "codes are unique and in order");
        assert!(Bank::ALL
            .iter()
            .all(|b| b.code.len() == 3 && !b.account_lengths.is_empty()));
        let ktb = Bank::by_code("006").unwrap();
        assert_eq!(
            (ktb.name_th, ktb.name_en),
            ("ธนาคารกรุงไทย", "Krungthai Bank")
        );
        assert_eq!(ktb.name(true), "ธนาคารกรุงไทย");
        assert_eq!(Bank::by_code(" ๐๓๐ ").unwrap().name_th, "ธนาคารออมสิน");
        assert_eq!(Bank::by_code("067").unwrap().account_lengths, &[14]);
        assert_eq!(Bank::by_code("034").unwrap().account_lengths, &[12]);
        assert!(Bank::by_code("6").is_none());
        assert!(Bank::by_code("999").is_none());
        assert!(Bank::by_code("").is_none());
    }

    #[test]
    fn an_account_typed_as_on_a_passbook_is_accepted() {
        let a = parse_account(" 004 ", "123-4-56789-0", "  สมชาย ใจดี ").unwrap();
        assert_eq!(
            a,
            BankAccount {
                bank_code: "004".into(),
                number: "1234567890".into(),
                holder: "สมชาย ใจดี".into()
            }
        );
        assert_eq!(a.bank().unwrap().name_en, "Kasikornbank");
        let gsb = parse_account("030", "๐๒๐ ๑๒๓ ๔๕๖ ๗๘๙", "Somchai Jaidee").unwrap();
        assert_eq!(gsb.number, "020123456789");
        assert!(parse_account("067", "12345678901234", "ทิสโก้").is_ok());
    }

    #[test]
    fn every_fault_is_reported_on_its_field_at_once() {
        assert_eq!(
            field_errors(parse_account("", "", "")),
            vec![
                ("bank_code".into(), ErrorCode::Required),
                ("account_number".into(), ErrorCode::Required),
                ("account_holder".into(), ErrorCode::Required),
            ]
        );
        assert_eq!(
            field_errors(parse_account("999", "12a4567890", "ก")),
            vec![
                ("bank_code".into(), ErrorCode::InvalidChoice),
                ("account_number".into(), ErrorCode::DigitsOnly),
                (
                    "account_holder".into(),
                    ErrorCode::TooShort { min: HOLDER_MIN }
                ),
            ]
        );
        // An unknown bank: the length cannot be judged, so good digits pass.
        assert_eq!(
            field_errors(parse_account("999", "1", "สมชาย")),
            vec![("bank_code".into(), ErrorCode::InvalidChoice)]
        );
    }

    #[test]
    fn the_number_must_have_the_banks_length() {
        assert_eq!(
            field_errors(parse_account("002", "123456789", "สมชาย")),
            vec![("account_number".into(), ErrorCode::TooShort { min: 10 })]
        );
        assert_eq!(
            field_errors(parse_account("002", "12345678901", "สมชาย")),
            vec![("account_number".into(), ErrorCode::TooLong { max: 10 })]
        );
        // Ten digits are right for Bangkok Bank, short for the Government Savings Bank.
        assert_eq!(
            field_errors(parse_account("030", "1234567890", "สมชาย")),
            vec![("account_number".into(), ErrorCode::TooShort { min: 12 })]
        );
    }

    #[test]
    fn account_number_problems_are_told_precisely() {
        let bbl = Bank::by_code("002").unwrap();
        let e = bbl.account_number("123 456").unwrap_err();
        assert_eq!(
            e,
            AccountNumberError::WrongLength {
                got: 6,
                expected: &[10]
            }
        );
        assert_eq!(e.message(true), "เลขที่บัญชีของธนาคารนี้มี 10 หลัก (กรอกมา 6 หลัก)");
        assert_eq!(
            e.message(false),
            "Account numbers at this bank have 10 digits (6 given)"
        );
        assert_eq!(
            bbl.account_number("12345O7890"),
            Err(AccountNumberError::NotDigits)
        );
        assert_eq!(bbl.account_number(" - "), Err(AccountNumberError::Missing));
        assert_eq!(
            AccountNumberError::NotDigits.message(false),
            "The account number must be digits only"
        );
        // A bank with two lengths: between them is short of the longer one.
        let two = AccountNumberError::WrongLength {
            got: 11,
            expected: &[10, 12],
        };
        assert_eq!(two.code(), ErrorCode::TooShort { min: 12 });
        assert_eq!(
            two.message(false),
            "Account numbers at this bank have 10 or 12 digits (11 given)"
        );
    }

    #[test]
    fn the_holder_is_a_real_name_of_sensible_length() {
        let long = "ก".repeat(HOLDER_MAX + 1);
        assert_eq!(
            field_errors(parse_account("002", "1234567890", &long)),
            vec![(
                "account_holder".into(),
                ErrorCode::TooLong { max: HOLDER_MAX }
            )]
        );
        assert!(parse_account("002", "1234567890", &"ก".repeat(HOLDER_MAX)).is_ok());
        assert!(parse_account("002", "1234567890", "นา").is_ok());
        assert_eq!(
            field_errors(parse_account("002", "1234567890", "สม\u{0}ชาย")),
            vec![("account_holder".into(), ErrorCode::ControlCharacters)]
        );
    }

    #[test]
    fn a_masked_account_shows_only_the_last_four_digits() {
        let a = parse_account("006", "1234565678", "สมชาย").unwrap();
        assert_eq!(a.masked(), "••••••5678");
        let b = parse_account("030", "020123456789", "สมชาย").unwrap();
        assert_eq!(b.masked(), "••••••••6789");
    }

    // --- the batch file

    fn line(reference: &str, name: &str, bank: &str, amount: i64) -> BatchLine {
        BatchLine {
            reference: reference.into(),
            payee_name: name.into(),
            national_id: "1101700230708".into(),
            bank_code: bank.into(),
            account_number: "1234567890".into(),
            account_holder: name.into(),
            amount_baht: amount,
            region: 7,
        }
    }

    #[test]
    fn the_batch_file_is_what_the_layout_says() {
        let csv = batch_csv(
            "PAY-2569-0007",
            &[
                line("S41-2569-7KQ4M2", "สมชาย ใจดี", "006", 240_000),
                line("S41-2569-ABCDEF", "ใจดี, สมศรี", "002", 50_000),
            ],
        );
        assert_eq!(
            csv,
            "\u{feff}batch_id,line,reference,payee_name,national_id,bank_code,bank_name,account_number,account_holder,amount_baht,region\r\n\
             PAY-2569-0007,1,S41-2569-7KQ4M2,สมชาย ใจดี,1101700230708,006,ธนาคารกรุงไทย,1234567890,สมชาย ใจดี,240000.00,7\r\n\
             PAY-2569-0007,2,S41-2569-ABCDEF,\"ใจดี, สมศรี\",1101700230708,002,ธนาคารกรุงเทพ,1234567890,\"ใจดี, สมศรี\",50000.00,7\r\n"
        );
        assert_eq!(
            BATCH_COLUMNS.join(","),
            csv.lines().next().unwrap().trim_start_matches('\u{feff}')
        );
        // An empty batch is just the header; an unknown bank leaves its name empty.
        assert_eq!(batch_csv("B", &[]).matches("\r\n").count(), 1);
        assert!(batch_csv("B", &[line("R", "ชื่อ", "999", 1)]).contains(",999,,1234567890,"));
    }

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("+66 81 234 5678"), "'+66 81 234 5678");
        assert_eq!(csv_field("-"), "'-");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("-500"), "-500");
        assert_eq!(csv_field("+12.50"), "+12.50");
        assert_eq!(csv_field("-1."), "'-1.");
        assert_eq!(csv_field("a\r\nb"), "\"a\r\nb\"");
        assert_eq!(csv_field("ปกติ"), "ปกติ");
        assert_eq!(csv_field(""), "");
        assert_eq!(baht_with_decimals(240_000), "240000.00");
    }

    // --- reading CSV

    #[test]
    fn records_follow_rfc_4180() {
        let r = records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",x\nlast,  \"spaced\" ");
        let got: Vec<(usize, Vec<&str>)> = r
            .iter()
            .map(|r| (r.line, r.fields.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, vec!["a", "b,c", "say \"hi\""]),
                (2, vec!["two\r\nlines", "x"]),
                (4, vec!["last", "spaced "]),
            ]
        );
        assert!(r.iter().all(|r| !r.unclosed_quote));
    }

    #[test]
    fn records_end_at_any_line_break_and_keep_stray_quotes() {
        let r = records("a\rb\n\nc,d\"e\r\n");
        let got: Vec<(usize, Vec<&str>)> = r
            .iter()
            .map(|r| (r.line, r.fields.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, vec!["a"]),
                (2, vec!["b"]),
                (3, vec![""]),
                (4, vec!["c", "d\"e"])
            ]
        );
        let open = records("a\r\n\"never closed,\r\nb");
        assert_eq!(open.len(), 2);
        assert_eq!((open[1].line, open[1].unclosed_quote), (2, true));
        assert_eq!(records("").len(), 0);
        assert_eq!(records("\"\"").len(), 1);
        assert_eq!(records("x,").last().unwrap().fields, vec!["x", ""]);
    }

    #[test]
    fn cells_are_trimmed_and_lose_a_text_mark() {
        assert_eq!(cell("  'S41-2569-ABCDEF "), "S41-2569-ABCDEF");
        assert_eq!(cell("'=1+1"), "=1+1");
        assert_eq!(cell("''x"), "'x");
        assert_eq!(cell(" ok "), "ok");
    }

    // --- the result file

    const HEADER: &str = "batch_id,reference,result,date,transfer_ref,reason";

    fn errors_of(text: &str) -> Vec<(usize, String)> {
        parse_results(text)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.line, e.message_en))
            .collect()
    }

    #[test]
    fn a_sound_file_is_read_line_by_line() {
        let text = format!(
            "\u{feff}{HEADER}\r\n\
             PAY-7,S41-2569-7KQ4M2,paid,2026-03-05,TRX001,\r\n\
             PAY-7, s41-2569-abcdef ,FAILED,,,\"บัญชีปิดแล้ว, โปรดติดต่อผู้รับ\"\r\n"
        );
        assert_eq!(
            parse_results(&text).unwrap(),
            vec![
                ResultLine {
                    line: 2,
                    batch_id: "PAY-7".into(),
                    reference: "S41-2569-7KQ4M2".into(),
                    outcome: Outcome::Paid {
                        on: day(2026, 3, 5),
                        transfer_ref: "TRX001".into()
                    },
                },
                ResultLine {
                    line: 3,
                    batch_id: "PAY-7".into(),
                    reference: "S41-2569-ABCDEF".into(),
                    outcome: Outcome::Failed {
                        reason: "บัญชีปิดแล้ว, โปรดติดต่อผู้รับ".into(),
                        on: None
                    },
                },
            ]
        );
    }

    #[test]
    fn columns_may_come_in_any_order_and_case_with_extras() {
        let text = "Note, REASON ,Date,Transfer_Ref,Result,Reference,Batch_ID\n\
                    x,,05/03/2569,'000123,สำเร็จ,S41-2569-7KQ4M2,PAY-7\n\
                    y,ไม่มีบัญชีนี้,6/3/2026,,ไม่สำเร็จ,S41-2569-ABCDEF,PAY-7\n";
        let lines = parse_results(text).unwrap();
        assert_eq!(
            lines[0].outcome,
            Outcome::Paid {
                on: day(2026, 3, 5),
                transfer_ref: "000123".into()
            }
        );
        assert_eq!(
            lines[1].outcome,
            Outcome::Failed {
                reason: "ไม่มีบัญชีนี้".into(),
                on: Some(day(2026, 3, 6))
            }
        );
        assert_eq!((lines[0].line, lines[1].line), (2, 3));
    }

    #[test]
    fn dates_in_either_form_and_era() {
        assert_eq!(result_date("2026-03-05"), Some(day(2026, 3, 5)));
        assert_eq!(result_date("2569-03-05"), Some(day(2026, 3, 5)));
        assert_eq!(result_date("05/03/2569"), Some(day(2026, 3, 5)));
        assert_eq!(result_date("5/3/2026"), Some(day(2026, 3, 5)));
        assert_eq!(result_date("๕/๓/๒๕๖๙"), Some(day(2026, 3, 5)));
        assert_eq!(result_date("2400-01-01"), None);
        assert_eq!(result_date("2026-3-5"), None);
        assert_eq!(result_date("05/03/69"), None);
        assert_eq!(result_date("31/02/2569"), None);
        assert_eq!(result_date("03-05-2026"), None);
        assert_eq!(result_date("yesterday"), None);
    }

    #[test]
    fn missing_values_are_named_for_their_outcome() {
        let text = format!("{HEADER}\r\nPAY-7,S41-2569-7KQ4M2,paid,,,\r\nPAY-7,S41-2569-ABCDEF,failed,2026-03-05,TRX,\r\n,,,,,x\r\n");
        assert_eq!(
            errors_of(&text),
            vec![
                (2, "The transfer date (date) is missing".into()),
                (2, "The transfer reference (transfer_ref) is missing".into()),
                (
                    3,
                    "The reason the transfer failed (reason) is missing".into()
                ),
                (4, "The batch ID (batch_id) is missing".into()),
                (4, "The claim reference (reference) is missing".into()),
                (4, "The result (result) is missing".into()),
            ]
        );
        let e = &parse_results(&text).unwrap_err()[0];
        assert_eq!(e.message_th, "ไม่มีวันที่โอน (date)");
        assert_eq!(e.text(true), "บรรทัด 2: ไม่มีวันที่โอน (date)");
        assert_eq!(e.text(false), "Line 2: The transfer date (date) is missing");
    }

    #[test]
    fn bad_values_are_reported_with_what_was_written() {
        let long = "x".repeat(MAX_RESULT_TEXT + 1);
        let text = format!(
            "{HEADER}\nPAY-7,A,done,2026-03-05,T,\nPAY-7,B,paid,32/01/2026,{long},\nPAY-7,C,failed,2026-13-01,,{long}\nPAY-7,D,paid,2026-03-05,{},\n",
            "y".repeat(MAX_RESULT_TEXT)
        );
        assert_eq!(
            errors_of(&text),
            vec![
                (2, "The result \"done\" is not valid: it must be paid or failed".into()),
                (3, "The transfer date \"32/01/2026\" is not valid: write it as 2026-03-05 or 05/03/2026".into()),
                (3, "The transfer reference (transfer_ref) is longer than 100 characters".into()),
                (4, "The transfer date \"2026-13-01\" is not valid: write it as 2026-03-05 or 05/03/2026".into()),
                (4, "The reason the transfer failed (reason) is longer than 100 characters".into()),
            ]
        );
        let nul = format!("{HEADER}\nPAY-7,A,failed,,,bad\u{0}\n");
        assert_eq!(
            errors_of(&nul),
            vec![(
                2,
                "The reason the transfer failed (reason) contains invisible control characters"
                    .into()
            )]
        );
    }

    #[test]
    fn a_reference_may_appear_only_once() {
        let text = format!(
            "{HEADER}\nPAY-7,S41-2569-7KQ4M2,paid,2026-03-05,T1,\nPAY-7,S41-2569-AAAAAA,paid,2026-03-05,T2,\nPAY-7,s41-2569-7kq4m2,failed,,,x\n"
        );
        let errors = parse_results(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert_eq!(
            errors[0].message_th,
            "เลขที่คำร้อง S41-2569-7KQ4M2 ซ้ำกับบรรทัด 2"
        );
        assert_eq!(
            errors[0].message_en,
            "The reference S41-2569-7KQ4M2 is already on line 2"
        );
    }

    #[test]
    fn the_header_must_name_every_column_once() {
        assert_eq!(
            errors_of("batch_id,reference,result,date,result\nPAY-7,A,paid,2026-03-05,paid\n"),
            vec![
                (
                    1,
                    "The header row has the result column more than once".into()
                ),
                (1, "The header row has no transfer_ref column".into()),
                (1, "The header row has no reason column".into()),
            ]
        );
        // Without a header the first payment is read as one, and found wanting.
        assert_eq!(errors_of("PAY-7,A,paid,2026-03-05,T,\n").len(), 7);
    }

    #[test]
    fn empty_files_and_files_without_results_are_refused() {
        assert_eq!(errors_of(""), vec![(1, "The file is empty".into())]);
        assert_eq!(
            errors_of("\u{feff}\r\n ,, \r\n"),
            vec![(1, "The file is empty".into())]
        );
        assert_eq!(
            errors_of(&format!("{HEADER}\r\n\r\n,,,,,\r\n")),
            vec![(1, "The file has no result lines".into())]
        );
    }

    #[test]
    fn blank_lines_and_quoted_line_breaks_keep_line_numbers_true() {
        let text =
            format!("{HEADER}\r\n\r\nPAY-7,A,failed,,,\"two\r\nlines\"\r\nPAY-7,B,paid,,T,\r\n");
        assert_eq!(
            errors_of(&text),
            vec![(5, "The transfer date (date) is missing".into())]
        );
        let unclosed = format!("{HEADER}\nPAY-7,A,paid,2026-03-05,T,\nPAY-7,B,failed,,,\"oops\nPAY-7,C,paid,2026-03-05,T,\n");
        assert_eq!(
            errors_of(&unclosed),
            vec![(3, "A quotation mark (\") is opened but never closed, so the rest of the file cannot be read".into())]
        );
    }

    #[test]
    fn a_short_line_reads_as_empty_cells() {
        let text = format!("{HEADER}\nPAY-7,A,paid\n");
        assert_eq!(
            errors_of(&text),
            vec![
                (2, "The transfer date (date) is missing".into()),
                (2, "The transfer reference (transfer_ref) is missing".into()),
            ]
        );
    }

    #[test]
    fn a_value_quoted_back_is_cut_short() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown(&"ก".repeat(50)), format!("{}…", "ก".repeat(40)));
    }

    // --- properties

    /// Line breaks as the reader counts them: CRLF, LF or CR alone.
    fn breaks(s: &str) -> usize {
        s.replace("\r\n", "\n").matches(['\n', '\r']).count()
    }

    fn exported(s: &str) -> String {
        if looks_like_formula(s) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    }

    proptest! {
        #[test]
        fn what_is_written_is_read_back(rows in prop::collection::vec(prop::collection::vec(any::<String>(), 1..5), 1..5)) {
            let texts: Vec<String> = rows.iter().map(|r| csv_row(r)).collect();
            let read = records(&texts.concat());
            prop_assert_eq!(read.len(), rows.len());
            let mut line = 1;
            for ((record, row), text) in read.iter().zip(&rows).zip(&texts) {
                let want: Vec<String> = row.iter().map(|f| exported(f)).collect();
                prop_assert_eq!(&record.fields, &want);
                prop_assert_eq!(record.line, line);
                prop_assert!(!record.unclosed_quote);
                line += breaks(text);
            }
        }

        #[test]
        fn any_account_number_of_the_banks_length_is_accepted(
            bank in prop::sample::select(Bank::ALL),
            digits in prop::collection::vec(0u8..10, 14),
            dashes in prop::collection::vec(any::<bool>(), 14),
        ) {
            let len = bank.account_lengths[0];
            let number: String = digits[..len].iter().map(|d| char::from(b'0' + d)).collect();
            let typed: String = number.chars().zip(&dashes).flat_map(|(c, &dash)| {
                if dash { vec![c, '-'] } else { vec![c] }
            }).collect();
            let account = parse_account(bank.code, &typed, "สมชาย ใจดี").unwrap();
            prop_assert_eq!(&account.number, &number);
            let masked = account.masked();
            prop_assert_eq!(masked.chars().count(), len);
            prop_assert!(masked.ends_with(&number[len - 4..]));
            prop_assert_eq!(masked.chars().filter(|c| *c == '•').count(), len - 4);
        }

        #[test]
        fn results_written_as_csv_are_read_back(
            outcomes in prop::collection::vec((
                any::<bool>(),
                0i64..3650,
                "[A-Za-z0-9ก-ฮ,\"=+@-][A-Za-z0-9ก-ฮ ,\"\n=+@-]{0,60}[A-Za-z0-9ก-ฮ]",
                any::<bool>(),
            ), 1..8),
        ) {
            let mut text = format!("{}\r\n", RESULT_COLUMNS.join(","));
            let mut want = Vec::new();
            for (i, (paid, days, note, dated)) in outcomes.into_iter().enumerate() {
                let on = day(2020, 1, 1) + chrono::Duration::days(days);
                let reference = format!("S41-2569-{:06}", i);
                let (result, date, transfer_ref, reason, outcome) = if paid {
                    ("paid", on.to_string(), note.clone(), String::new(), Outcome::Paid { on, transfer_ref: note })
                } else {
                    let d = if dated { on.to_string() } else { String::new() };
                    ("failed", d, String::new(), note.clone(), Outcome::Failed { reason: note, on: dated.then_some(on) })
                };
                want.push(ResultLine { line: 1 + breaks(&text), batch_id: "PAY-1".into(), reference: reference.clone(), outcome });
                text.push_str(&csv_row(&["PAY-1", &reference, result, &date, &transfer_ref, &reason]));
            }
            prop_assert_eq!(parse_results(&text).unwrap(), want);
        }
    }
}
