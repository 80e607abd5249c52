//! Calendar dates as the sources write them (`2021-11-05`) and as the book prints them
//! (`2021年11月5日`).

use std::fmt;

/// A calendar date, checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, four digits.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month; 0 when only the month is known (`published = "2022-01"`).
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, or `YYYY-MM` when `allow_month` is set.
    pub fn parse(text: &str, allow_month: bool) -> Option<Self> {
        let mut parts = text.trim().split('-');
        let year = parse_fixed(parts.next()?, 4)?;
        let month = parse_fixed(parts.next()?, 2)?;
        let day = match parts.next() {
            Some(day) => parse_fixed(day, 2)?,
            None if allow_month => 0,
            None => return None,
        };
        if parts.next().is_some() || !(1..=12).contains(&month) || year < 1900 {
            return None;
        }
        let date = Self { year: year as u16, month: month as u8, day: day as u8 };
        if day == 0 && allow_month || (1..=date.days_in_month()).contains(&(day as u8)) {
            Some(date)
        } else {
            None
        }
    }

    fn days_in_month(&self) -> u8 {
        match self.month {
            2 if self.year.is_multiple_of(4)
                && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The last day of a term of `years` years that starts on this date (有效期3年 from
    /// 2022-01-01 ends 2024-12-31); `None` for a month-only date.
    pub fn plus_years_minus_a_day(&self, years: u32) -> Option<Date> {
        if self.day == 0 {
            return None;
        }
        let year = u16::try_from(u32::from(self.year) + years).ok()?;
        // The same day `years` later (29 February → 1 March in a common year), less one.
        let mut end = Date { year, month: self.month, day: self.day };
        if end.day > end.days_in_month() {
            end = Date { year, month: 3, day: 1 };
        }
        Some(end.previous_day())
    }

    fn previous_day(&self) -> Date {
        if self.day > 1 {
            return Date { day: self.day - 1, ..*self };
        }
        let (year, month) = if self.month == 1 {
            (self.year - 1, 12)
        } else {
            (self.year, self.month - 1)
        };
        let mut date = Date { year, month, day: 1 };
        date.day = date.days_in_month();
        date
    }

    /// The date as printed in Chinese documents: `2021年11月5日`, or `2022年1月`.
    pub fn chinese(&self) -> String {
        if self.day == 0 {
            format!("{}年{}月", self.year, self.month)
        } else {
            format!("{}年{}月{}日", self.year, self.month, self.day)
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.day == 0 {
            write!(f, "{:04}-{:02}", self.year, self.month)
        } else {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

fn parse_fixed(text: &str, digits: usize) -> Option<u32> {
    if text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_dates() {
        let date = Date::parse("2021-11-05", false).unwrap();
        assert_eq!(date.chinese(), "2021年11月5日");
        assert_eq!(date.to_string(), "2021-11-05");
        assert_eq!(Date::parse("2022-01", true).unwrap().chinese(), "2022年1月");
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in
            ["2021-02-29", "2021-13-01", "2021-1-5", "21-01-05", "2021-01", "2021/01/05"]
        {
            assert_eq!(Date::parse(bad, false), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29", false).is_some());
    }

    #[test]
    fn terms_of_years_end_the_day_before() {
        let end = |s: &str, n| {
            Date::parse(s, false).unwrap().plus_years_minus_a_day(n).unwrap().to_string()
        };
        assert_eq!(end("2022-01-01", 3), "2024-12-31");
        assert_eq!(end("2021-11-05", 2), "2023-11-04");
        assert_eq!(end("2024-02-29", 1), "2025-02-28");
        assert_eq!(end("2021-03-01", 1), "2022-02-28");
        assert_eq!(Date::parse("2022-01", true).unwrap().plus_years_minus_a_day(1), None);
    }
}
