"""The REST API (docs/api.md): serializers and views over the same services and
selectors the pages use, so an API call and a page that do the same thing agree."""
