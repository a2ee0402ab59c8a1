"""The shop's pages: checkout and order status, provider returns, callbacks, staff order list."""
