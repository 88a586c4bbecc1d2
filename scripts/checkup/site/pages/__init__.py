"""Pages of the site, one module per part: indicators, results, people, survey, editions."""
