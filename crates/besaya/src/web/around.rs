//! Middleware that looks at the request on the way in and at the response on the
//! way out, without boxing anything.
//!
//! axum's `middleware::from_fn` is the easy way to write such a layer, but it boxes
//! the whole rest of the request's future, once per layer and per request; the home
//! page's profile showed those allocations and the moves of the large futures
//! around them (issue #2 measures the home page against bare axum). The request
//! id and response headers, the CSRF cookie, the flash message and the metrics only
//! need "before" and "after", which [`Around`] gives as a plain tower layer whose
//! future wraps the inner one.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::extract::Request;
use axum::response::Response;
use pin_project_lite::pin_project;
use tower::{Layer, Service};
use tracing::Span;

/// What a middleware does before and after the rest of the request.
pub trait Hooks: Clone + Send + Sync + 'static {
    /// What [`Hooks::before`] hands to [`Hooks::after`] for the same request.
    type Carry: Send + 'static;
    /// Sees (and may add to) the request before it goes on.
    fn before(&self, req: &mut Request) -> Self::Carry;
    /// Sees (and may change) the response before it goes back.
    fn after(&self, carry: Self::Carry, res: &mut Response);
    /// The tracing span the rest of the request (and [`Hooks::after`]) runs in,
    /// made after [`Hooks::before`] from what it carries; none by default.
    fn span(&self, _req: &Request, _carry: &Self::Carry) -> Span {
        Span::none()
    }
}

/// Two hooks in one layer: `A` sees the request first and the response last.
impl<A: Hooks, B: Hooks> Hooks for (A, B) {
    type Carry = (A::Carry, B::Carry);

    fn before(&self, req: &mut Request) -> Self::Carry {
        let a = self.0.before(req);
        (a, self.1.before(req))
    }

    fn after(&self, (a, b): Self::Carry, res: &mut Response) {
        self.1.after(b, res);
        self.0.after(a, res);
    }
}

/// The tower layer for a [`Hooks`].
#[derive(Clone)]
pub struct Around<H>(pub H);

impl<H: Clone, S> Layer<S> for Around<H> {
    type Service = AroundService<H, S>;

    fn layer(&self, inner: S) -> Self::Service {
        AroundService {
            hooks: self.0.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct AroundService<H, S> {
    hooks: H,
    inner: S,
}

impl<H, S> Service<Request> for AroundService<H, S>
where
    H: Hooks,
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = AroundFuture<H, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let carry = self.hooks.before(&mut req);
        let span = self.hooks.span(&req, &carry);
        let inner = {
            let _in = span.enter();
            self.inner.call(req)
        };
        AroundFuture {
            inner,
            hooks: self.hooks.clone(),
            carry: Some(carry),
            span,
        }
    }
}

pin_project! {
    pub struct AroundFuture<H: Hooks, F> {
        #[pin]
        inner: F,
        hooks: H,
        carry: Option<H::Carry>,
        span: Span,
    }
}

impl<H, F, E> Future for AroundFuture<H, F>
where
    H: Hooks,
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _in = this.span.enter();
        let mut res = ready!(this.inner.poll(cx))?;
        if let Some(carry) = this.carry.take() {
            this.hooks.after(carry, &mut res);
        }
        Poll::Ready(Ok(res))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::body::Body;
    use axum::http::{HeaderValue, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// A GET of `uri`, with an `x-in` header when given.
    fn get_with(uri: &str, x_in: Option<&str>) -> Request {
        let mut req = Request::builder().uri(uri);
        if let Some(v) = x_in {
            req = req.header("x-in", v);
        }
        req.body(Body::empty()).unwrap()
    }

    fn values(h: &axum::http::HeaderMap, name: &str) -> Vec<String> {
        h.get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    /// Passes a request header to the handler through the extensions and echoes it
    /// on the response, counting the responses it saw.
    #[derive(Clone, Default)]
    struct Echo(Arc<AtomicUsize>);

    #[derive(Clone)]
    struct Seen(String);

    impl Hooks for Echo {
        type Carry = Option<HeaderValue>;
        fn before(&self, req: &mut Request) -> Self::Carry {
            let v = req.headers().get("x-in").cloned();
            if let Some(v) = &v {
                req.extensions_mut()
                    .insert(Seen(v.to_str().unwrap().to_owned()));
            }
            v
        }
        fn after(&self, carry: Self::Carry, res: &mut Response) {
            self.0.fetch_add(1, Ordering::Relaxed);
            if let Some(v) = carry {
                res.headers_mut().insert("x-out", v);
            }
        }
    }

    /// Appends its name to `x-order` on the way in and on the way out.
    #[derive(Clone)]
    struct Mark(&'static str);

    impl Hooks for Mark {
        type Carry = ();
        fn before(&self, req: &mut Request) {
            req.headers_mut()
                .append("x-order", HeaderValue::from_static(self.0));
        }
        fn after(&self, (): (), res: &mut Response) {
            res.headers_mut()
                .append("x-order", HeaderValue::from_static(self.0));
        }
    }

    #[tokio::test]
    async fn a_pair_nests_like_two_layers() {
        let app = Router::new()
            .route(
                "/",
                get(|h: axum::http::HeaderMap| async move { values(&h, "x-order").join(",") }),
            )
            .layer(Around((Mark("outer"), Mark("inner"))));
        let res = app.oneshot(get_with("/", None)).await.unwrap();
        assert_eq!(
            values(res.headers(), "x-order"),
            ["inner", "outer"],
            "the response goes back out through the inner hook first"
        );
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"outer,inner");
    }

    /// Names each request's span after its `x-in` header.
    #[derive(Clone)]
    struct Spanned;

    impl Hooks for Spanned {
        type Carry = ();
        fn before(&self, _: &mut Request) {}
        fn after(&self, (): (), _: &mut Response) {
            tracing::info!("after");
        }
        fn span(&self, req: &Request, (): &()) -> Span {
            let id = req.headers()["x-in"].to_str().unwrap();
            tracing::info_span!("http", request_id = %id)
        }
    }

    #[tokio::test]
    async fn the_handler_and_after_log_inside_the_requests_span() {
        #[derive(Clone, Default)]
        struct Buf(Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Buf {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Buf::default();
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let app = Router::new()
            .route(
                "/",
                get(|| async {
                    tokio::task::yield_now().await;
                    tracing::info!("in the handler");
                }),
            )
            .layer(Around(Spanned));
        app.oneshot(get_with("/", Some("req-7"))).await.unwrap();
        tracing::info!("outside");
        let logged = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        let line = |m: &str| logged.lines().find(|l| l.contains(m)).unwrap().to_owned();
        assert!(
            line("in the handler").contains("http{request_id=req-7}"),
            "{logged}"
        );
        assert!(line("after").contains("http{request_id=req-7}"), "{logged}");
        assert!(!line("outside").contains("req-7"), "{logged}");
    }

    #[tokio::test]
    async fn runs_before_and_after_around_the_handler() {
        let echo = Echo::default();
        let app = Router::new()
            .route(
                "/",
                get(|seen: Option<axum::Extension<Seen>>| async move {
                    seen.map_or("none".to_owned(), |s| s.0.0)
                }),
            )
            .layer(Around(echo.clone()));
        let res = app
            .clone()
            .oneshot(get_with("/", Some("hola")))
            .await
            .unwrap();
        assert_eq!(res.headers()["x-out"], "hola");
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"hola");

        let res = app.oneshot(get_with("/nope", None)).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(res.headers().get("x-out").is_none());
        assert_eq!(
            echo.0.load(Ordering::Relaxed),
            2,
            "after runs once per response"
        );
    }
}
