"""De-identified exports (CSV, XLSX, PDF), made at once or by a background job."""
