//! Sites: the catalogue of industrial land and buildings. Estates and sites with
//! every fact possibly unknown, a public catalogue with map, list, comparison and
//! profile sheets, requirement matching, staff pages with photos and documents,
//! and open data (GeoJSON, CSV).

pub mod api;
pub mod catalogue;
pub mod demo;
pub mod filter;
pub mod model;
pub mod opendata;
pub mod pages;
pub mod photos;
pub mod policy;
pub mod staff;
pub mod store;

pub use api::api_router;
pub use catalogue::SiteCatalogue;
pub use pages::router;
