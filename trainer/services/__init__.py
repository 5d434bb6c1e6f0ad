"""Plain functions behind the views: testable without a request."""
