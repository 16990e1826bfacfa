//! `[world]`: the cities of the world table and of the share line, each an
//! IANA zone with an optional display name. A zone the system does not know
//! is an error at the entry's file:line:col.

use std::ops::Range;

use toml::Spanned;

use super::raw::{RawCity, RawWorld};
use super::{ConfigError, Converter, Origin, Origins};
use crate::time::world::City;

/// The world settings; `None` means the built-in list (resolved only when
/// used, so that commands without `--world` read no zone files for it).
#[derive(Clone, Debug, Default)]
pub struct WorldSettings {
    /// `world.cities`: the rows of the world table.
    pub cities: Option<Vec<City>>,
    /// `world.share`: the cities of the share line (after the local zone).
    pub share: Option<Vec<City>>,
}

type RawList = Spanned<Vec<Spanned<RawCity>>>;

impl Converter<'_> {
    pub(super) fn world(
        &self,
        raw: RawWorld,
        origins: &mut Origins,
    ) -> Result<WorldSettings, ConfigError> {
        let mut world = WorldSettings::default();
        if let Some(list) = raw.cities {
            world.cities = Some(self.cities(list, "world.cities")?);
            origins.world_cities = Origin::File;
        }
        if let Some(list) = raw.share {
            world.share = Some(self.cities(list, "world.share")?);
            origins.world_share = Origin::File;
        }
        Ok(world)
    }

    fn cities(&self, list: RawList, key: &str) -> Result<Vec<City>, ConfigError> {
        let span = list.span();
        let items = list.into_inner();
        if items.is_empty() && key == "world.cities" {
            return Err(self.err(
                span,
                "world.cities: the list is empty; leave the key out for the built-in cities",
            ));
        }
        items
            .into_iter()
            .map(|item| {
                let span = item.span();
                self.city(item.into_inner(), span, key)
            })
            .collect()
    }

    fn city(&self, raw: RawCity, span: Range<usize>, key: &str) -> Result<City, ConfigError> {
        let (zone, name, span) = match raw {
            RawCity::Zone(zone) => (zone, None, span),
            RawCity::Table(table) => {
                let span = table.zone.span();
                (table.zone.into_inner(), table.name, span)
            }
        };
        City::parse(&zone, name.as_deref()).map_err(|err| self.err(span, format!("{key}: {err}")))
    }
}
