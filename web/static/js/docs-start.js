// Starts Swagger UI on this server's OpenAPI document; a file, not an inline script, so a strict CSP holds.
const host = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: host.dataset.openapi,
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  validatorUrl: null, // the default asks a validator on another site
});
