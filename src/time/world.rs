//! The moment around the world: one instant in a list of cities, each with
//! its weekday, date, time and offset, sorted by offset, and whether the
//! local date differs from UTC's and whether the moment falls exactly on a
//! local hour or midnight. For `when --world`, `next --world`, the share
//! line and the watch's world view. Pure.

use super::{ParseError, Zone, format_offset, format_strftime};

/// A place to show: a zone and the name people know it by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct City {
    pub zone: Zone,
    pub name: String,
}

/// The default cities, one or more on every continent (Antarctica too),
/// from the first to see a new day (Kiritimati, UTC+14) to the last
/// (Honolulu, UTC-10): IANA zone and display name.
pub const DEFAULT_CITIES: &[(&str, &str)] = &[
    ("Pacific/Honolulu", "Honolulu"),
    ("America/Anchorage", "Anchorage"),
    ("America/Los_Angeles", "Los Angeles"),
    ("America/Mexico_City", "Mexico City"),
    ("America/New_York", "New York"),
    ("America/Sao_Paulo", "São Paulo"),
    ("Europe/London", "London"),
    ("Africa/Lagos", "Lagos"),
    ("Europe/Paris", "Paris"),
    ("Africa/Cairo", "Cairo"),
    ("Africa/Johannesburg", "Johannesburg"),
    ("Europe/Moscow", "Moscow"),
    ("Asia/Dubai", "Dubai"),
    ("Asia/Kolkata", "Mumbai"),
    ("Asia/Shanghai", "Beijing"),
    ("Asia/Tokyo", "Tokyo"),
    ("Australia/Sydney", "Sydney"),
    ("Antarctica/McMurdo", "McMurdo Station"),
    ("Pacific/Auckland", "Auckland"),
    ("Pacific/Kiritimati", "Kiritimati"),
];

/// The default cities of the share line (besides the local zone): the two
/// ends of the Pacific, where the day is latest and earliest among the
/// largest cities.
pub const DEFAULT_SHARE: &[(&str, &str)] = &[
    ("America/Los_Angeles", "Los Angeles"),
    ("Asia/Tokyo", "Tokyo"),
];

impl City {
    /// A zone as `Zone::parse` reads it, named `name`, else after the zone
    /// (`America/Los_Angeles` is "Los Angeles").
    pub fn parse(zone: &str, name: Option<&str>) -> Result<City, ParseError> {
        let parsed = Zone::parse(zone)?;
        let name = match name.map(str::trim) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => city_name(&parsed.name()),
        };
        Ok(City { zone: parsed, name })
    }

    /// Cities from a table of (zone, name); a zone the system does not know is left out.
    pub fn list(table: &[(&str, &str)]) -> Vec<City> {
        table
            .iter()
            .filter_map(|(zone, name)| City::parse(zone, Some(name)).ok())
            .collect()
    }

    /// [`DEFAULT_CITIES`].
    pub fn defaults() -> Vec<City> {
        City::list(DEFAULT_CITIES)
    }
}

/// "Los Angeles" from "America/Los_Angeles"; "UTC" stays "UTC".
pub fn city_name(zone_name: &str) -> String {
    zone_name
        .rsplit('/')
        .next()
        .unwrap_or(zone_name)
        .replace('_', " ")
}

/// One city at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Local {
    pub city: String,
    /// The zone as configured (`America/Los_Angeles`).
    pub zone: String,
    /// Seconds east of UTC.
    pub offset: i32,
    /// As the zone database spells it: "PST", "+0545".
    pub abbreviation: String,
    /// "Fri".
    pub weekday: String,
    /// "2027-01-15".
    pub date: String,
    /// "00:00:00".
    pub time: String,
    /// The local date minus UTC's, in days: -1, 0 or +1.
    pub day: i64,
    /// 00:00:00 local time.
    pub midnight: bool,
    /// Minutes and seconds are zero (midnight included).
    pub on_the_hour: bool,
}

impl Local {
    /// The city at `epoch`; `None` outside the supported range.
    pub fn at(epoch: i64, city: &City) -> Option<Local> {
        let info = city.zone.info_at(epoch)?;
        let text = format_strftime(epoch, 0, city.zone, "%a %F %T").ok()?;
        let mut parts = text.splitn(3, ' ');
        let (weekday, date, time) = (parts.next()?, parts.next()?, parts.next()?);
        let local = i128::from(epoch) + i128::from(info.offset);
        let second_of_day = local.rem_euclid(86_400);
        let day = local.div_euclid(86_400) - i128::from(epoch).div_euclid(86_400);
        Some(Local {
            city: city.name.clone(),
            zone: city.zone.name(),
            offset: info.offset,
            abbreviation: info.abbreviation,
            weekday: weekday.to_string(),
            date: date.to_string(),
            time: time.to_string(),
            day: i64::try_from(day).ok()?,
            midnight: second_of_day == 0,
            on_the_hour: second_of_day % 3_600 == 0,
        })
    }

    /// `-08:00` (`-00:00` where the zone is abbreviated "-00").
    pub fn offset_text(&self) -> String {
        format_offset(self.offset, &self.abbreviation)
    }

    /// The local time as the share line writes it: "00:00", "23:31:30" when
    /// the seconds are not zero, with the weekday first when the local date
    /// is not UTC's ("Thu 22:00").
    pub fn short_time(&self) -> String {
        let clock = self.time.strip_suffix(":00").unwrap_or(&self.time);
        if self.day == 0 {
            clock.to_string()
        } else {
            format!("{} {clock}", self.weekday)
        }
    }

    /// What stands out: "-1 day" / "+1 day" (against UTC's date),
    /// "midnight", "on the hour"; empty when nothing does.
    pub fn marks(&self) -> Vec<&'static str> {
        let mut marks = Vec::with_capacity(2);
        match self.day {
            d if d < 0 => marks.push("-1 day"),
            d if d > 0 => marks.push("+1 day"),
            _ => {}
        }
        if self.midnight {
            marks.push("midnight");
        } else if self.on_the_hour {
            marks.push("on the hour");
        }
        marks
    }
}

/// Every city at `epoch`, sorted by offset (west to east; cities of one
/// offset in list order). Empty outside the supported range.
pub fn world_at(epoch: i64, cities: &[City]) -> Vec<Local> {
    let mut rows: Vec<Local> = cities
        .iter()
        .filter_map(|city| Local::at(epoch, city))
        .collect();
    rows.sort_by_key(|row| row.offset);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(zone: &str) -> City {
        City::parse(zone, None).unwrap()
    }

    #[test]
    fn names_come_from_zones() {
        assert_eq!(city("America/Los_Angeles").name, "Los Angeles");
        assert_eq!(city("America/Argentina/Buenos_Aires").name, "Buenos Aires");
        assert_eq!(city("UTC").name, "UTC");
        assert_eq!(
            City::parse("Asia/Kolkata", Some(" Mumbai ")).unwrap().name,
            "Mumbai"
        );
        assert!(City::parse("Mars/Olympus_Mons", None).is_err());
        assert_eq!(City::defaults().len(), DEFAULT_CITIES.len());
    }

    #[test]
    fn midnight_in_los_angeles_and_thursday_in_honolulu() {
        let rows = world_at(1_800_000_000, &City::defaults());
        assert_eq!(rows.len(), DEFAULT_CITIES.len());
        assert!(rows.windows(2).all(|w| w[0].offset <= w[1].offset));
        let find = |name: &str| rows.iter().find(|r| r.city == name).unwrap();
        let la = find("Los Angeles");
        assert_eq!((la.weekday.as_str(), la.time.as_str()), ("Fri", "00:00:00"));
        assert_eq!(la.marks(), ["midnight"]);
        assert_eq!(la.offset_text(), "-08:00");
        let honolulu = find("Honolulu");
        assert_eq!((honolulu.date.as_str(), honolulu.day), ("2027-01-14", -1));
        assert_eq!(honolulu.marks(), ["-1 day", "on the hour"]);
        assert_eq!(honolulu.short_time(), "Thu 22:00");
        let mumbai = find("Mumbai");
        assert_eq!(mumbai.time, "13:30:00");
        assert!(mumbai.marks().is_empty());
        assert_eq!(find("Kiritimati").day, 0);
        assert_eq!(find("Tokyo").short_time(), "17:00");
        let seconds = Local::at(1_234_567_890, &city("America/Los_Angeles")).unwrap();
        assert_eq!(seconds.short_time(), "15:31:30");
        assert!(world_at(i64::MAX, &City::defaults()).is_empty());
    }
}
