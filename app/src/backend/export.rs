//! Staff exports of the queue as CSV and XLSX: exactly the rows the queue shows with the
//! same filters (the same query, scope and domain re-check), all pages of it up to
//! `queue::EXPORT_MAX_ROWS`, in the viewer's language. Every export is audited with what
//! was asked, how many rows and which claims.

use super::audit::{self, Entry};
use super::error::{AppError, AppResult};
use super::queue::{export_rows, Filter};
use crate::i18n::{t, Locale};
use crate::views::{QueueItem, StaffIdentity};
use sea_orm::DatabaseConnection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A file ready to send.
pub struct Exported {
    pub bytes: Vec<u8>,
    pub rows: usize,
    /// There were more rows than one export holds.
    pub truncated: bool,
}

/// The queue `f` as a file for `me`, audited.
pub async fn queue(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    f: &Filter<'_>,
    format: Format,
    l: Locale,
    client: &str,
) -> AppResult<Exported> {
    let (items, truncated) = export_rows(db, me, f).await?;
    let bytes = match format {
        Format::Csv => csv(l, &items).into_bytes(),
        Format::Xlsx => xlsx(l, &items)?,
    };
    let listed = items
        .iter()
        .map(|i| i.reference.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let filters = [
        ("status", f.status),
        ("due", f.due),
        ("region", f.region),
        ("mine", f.assigned_to.map(|_| "1")),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| format!("{k}={v}")))
    .chain(f.q.filter(|q| !q.trim().is_empty()).map(super::queue::search_summary))
    .collect::<Vec<_>>()
    .join(" ");
    let detail = format!(
        "{} [{filters}]; {} rows{}: {listed}",
        format.extension(),
        items.len(),
        if truncated { " (more not exported)" } else { "" }
    );
    audit::append(
        db,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "queue_exported",
            claim_reference: None,
            detail: &detail,
            client,
        },
    )
    .await?;
    Ok(Exported {
        bytes,
        rows: items.len(),
        truncated,
    })
}

fn headers(l: Locale) -> [&'static str; 9] {
    [
        t(l, "เลขที่อ้างอิง", "Reference"),
        t(l, "ผู้ได้รับความเสียหาย", "Injured person"),
        t(l, "เลขประจำตัวประชาชน (บางส่วน)", "National ID (masked)"),
        t(l, "เขต", "Region"),
        t(l, "หน่วยบริการ", "Service unit"),
        t(l, "สถานะ", "Status"),
        t(l, "ยื่นเมื่อ", "Filed"),
        t(l, "กำหนดดำเนินการ", "Due by"),
        t(l, "กำหนดหลักฐานรับแจ้งผล", "Proof of receipt due by"),
    ]
}

fn status(l: Locale, i: &QueueItem) -> &'static str {
    match l {
        Locale::Th => i.status.label_th(),
        Locale::En => i.status.label_en(),
    }
}

use crate::domain::csv::{line as csv_line, BOM};

/// What the spreadsheet writer's failure becomes (it only fails on our own mistakes).
pub fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(format!("xlsx: {e}"))
}

/// UTF-8 with a byte-order mark (so spreadsheet programs read Thai), CRLF lines, ISO dates.
pub fn csv(l: Locale, items: &[QueueItem]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&csv_line(&headers(l)));
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for i in items {
        let cells = [
            i.reference.clone(),
            i.patient_name.clone(),
            i.patient_national_id_masked.clone(),
            i.region.to_string(),
            i.service_unit_name.clone(),
            status(l, i).to_string(),
            date(Some(i.filed_on)),
            date(i.due_by),
            date(i.receipt_by),
        ];
        out.push_str(&csv_line(&cells));
    }
    out
}

/// One worksheet with a bold, frozen header row; dates are date cells, shown in the
/// Buddhist era for Thai readers.
pub fn xlsx(l: Locale, items: &[QueueItem]) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format as Cell, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name = t(l, "คำร้อง", "Claims");
    let bold = Cell::new().set_bold();
    // Excel's Thai-locale, Buddhist-calendar date (LibreOffice reads it too).
    let date = Cell::new().set_num_format(match l {
        Locale::Th => "[$-107041E]d/m/yyyy",
        Locale::En => "yyyy-mm-dd",
    });
    let err = xlsx_failed;
    sheet.set_name(name).map_err(err)?;
    for (c, h) in headers(l).iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    for (r, i) in items.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write(r, 0, &i.reference).map_err(err)?;
        sheet.write(r, 1, &i.patient_name).map_err(err)?;
        sheet.write(r, 2, &i.patient_national_id_masked).map_err(err)?;
        sheet.write(r, 3, i.region).map_err(err)?;
        sheet.write(r, 4, &i.service_unit_name).map_err(err)?;
        sheet.write(r, 5, status(l, i)).map_err(err)?;
        for (c, d) in [(6u16, Some(i.filed_on)), (7, i.due_by), (8, i.receipt_by)] {
            if let Some(d) = d {
                sheet.write_with_format(r, c, &d, &date).map_err(err)?;
            }
        }
    }
    for (c, width) in [18, 28, 20, 6, 28, 24, 12, 12, 12].into_iter().enumerate() {
        sheet.set_column_width(c as u16, width).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

