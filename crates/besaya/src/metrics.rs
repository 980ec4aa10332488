//! Prometheus metrics, served on their own address (`BESAYA_METRICS_BIND`).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    /// The route pattern (`/api/v1/reference/cnae`), never the raw path, to bound cardinality.
    pub route: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: &'static str,
}

/// The registry and the metrics the middleware feeds.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// The router's route patterns, kept once each so labels borrow them instead
    /// of allocating two strings per request (the set is the router's: bounded).
    routes: std::sync::RwLock<rustc_hash::FxHashSet<&'static str>>,
    requests: Family<RequestLabels, Counter>,
    duration: Family<RouteLabels, Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("besaya");
        let requests = Family::<RequestLabels, Counter>::default();
        let duration = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            duration.clone(),
        );
        Self {
            registry,
            routes: Default::default(),
            requests,
            duration,
        }
    }
}

impl Metrics {
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            tracing::error!("cannot encode metrics");
        }
        out
    }
}

/// Middleware hooks: count and time every request by route pattern (a route
/// layer, so the matched pattern is known).
#[derive(Debug, Clone)]
pub struct Track(pub Arc<Metrics>);

impl crate::web::around::Hooks for Track {
    type Carry = (Instant, &'static str, &'static str);

    fn before(&self, req: &mut Request) -> Self::Carry {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", |p| self.0.route(p.as_str()));
        (Instant::now(), method_label(req.method()), route)
    }

    fn after(&self, (start, method, route): Self::Carry, res: &mut Response) {
        self.0
            .duration
            .get_or_create(&RouteLabels { route })
            .observe(start.elapsed().as_secs_f64());
        self.0
            .requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: res.status().as_u16(),
            })
            .inc();
    }
}

fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PATCH => "PATCH",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

impl Metrics {
    /// The interned copy of a route pattern of the router.
    fn route(&self, pattern: &str) -> &'static str {
        let known = self
            .routes
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(pattern)
            .copied();
        known.unwrap_or_else(|| {
            let mut routes = self
                .routes
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match routes.get(pattern) {
                Some(r) => r,
                None => {
                    let r: &'static str = Box::leak(pattern.to_owned().into_boxed_str());
                    routes.insert(r);
                    r
                }
            }
        })
    }
}

/// `GET /metrics` on the metrics listener.
pub async fn serve(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        metrics.encode(),
    )
}
