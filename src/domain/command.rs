//! The command view (指挥): what a unit's HQ or leader sees of its whole subtree. First, the
//! four-colour household map (四色图, 排查防控图): every household a tile in its colour, grouped
//! by villager group or grid, numbered, with the counts. Nothing personal is on it.

use serde::Serialize;
use uuid::Uuid;

use super::Colour;

/// The most households one map draws: a village or a grid (a township's map is its villages').
pub const MAX_MAP_HOUSEHOLDS: usize = 5_000;

/// One household on the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tile {
    pub household_id: Uuid,
    pub household_no: String,
    pub colour: Colour,
}

/// The tiles of one unit (a villager group or grid), in household number order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TileGroup {
    pub unit_code: String,
    pub unit_name: String,
    pub tiles: Vec<Tile>,
}

/// How many households of each colour, red first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColourCounts {
    pub red: usize,
    pub yellow: usize,
    pub blue: usize,
    pub white: usize,
}

impl ColourCounts {
    pub fn of<'a>(tiles: impl IntoIterator<Item = &'a Tile>) -> ColourCounts {
        let mut counts = ColourCounts::default();
        for tile in tiles {
            *counts.of_colour_mut(tile.colour) += 1;
        }
        counts
    }

    pub fn get(&self, colour: Colour) -> usize {
        match colour {
            Colour::Red => self.red,
            Colour::Yellow => self.yellow,
            Colour::Blue => self.blue,
            Colour::White => self.white,
        }
    }

    fn of_colour_mut(&mut self, colour: Colour) -> &mut usize {
        match colour {
            Colour::Red => &mut self.red,
            Colour::Yellow => &mut self.yellow,
            Colour::Blue => &mut self.blue,
            Colour::White => &mut self.white,
        }
    }

    pub fn total(&self) -> usize {
        self.red + self.yellow + self.blue + self.white
    }
}

/// A unit's four-colour map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColourMap {
    pub unit_code: String,
    pub unit_name: String,
    pub counts: ColourCounts,
    pub groups: Vec<TileGroup>,
}

impl ColourMap {
    /// Groups tiles that arrive in (unit, household number) order under their units.
    pub fn new(unit_code: String, unit_name: String, tiles: Vec<(String, String, Tile)>) -> ColourMap {
        let mut groups: Vec<TileGroup> = Vec::new();
        for (code, name, tile) in tiles {
            match groups.last_mut() {
                Some(group) if group.unit_code == code => group.tiles.push(tile),
                _ => groups.push(TileGroup { unit_code: code, unit_name: name, tiles: vec![tile] }),
            }
        }
        let counts = ColourCounts::of(groups.iter().flat_map(|g| &g.tiles));
        ColourMap { unit_code, unit_name, counts, groups }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(no: &str, colour: Colour) -> Tile {
        Tile { household_id: Uuid::now_v7(), household_no: no.into(), colour }
    }

    #[test]
    fn tiles_group_under_their_units_and_count_by_colour() {
        let map = ColourMap::new(
            "150502001001".into(),
            "和平社区".into(),
            vec![
                ("150502001001001".into(), "一组".into(), tile("001", Colour::Red)),
                ("150502001001001".into(), "一组".into(), tile("002", Colour::White)),
                ("150502001001002".into(), "二组".into(), tile("001", Colour::Yellow)),
            ],
        );
        assert_eq!(map.groups.len(), 2);
        assert_eq!(map.groups[0].tiles.len(), 2);
        assert_eq!(map.groups[1].unit_name, "二组");
        assert_eq!(map.counts, ColourCounts { red: 1, yellow: 1, blue: 0, white: 1 });
        assert_eq!(map.counts.total(), 3);
    }
}
