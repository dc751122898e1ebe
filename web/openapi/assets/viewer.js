// Tessera API viewer: Swagger UI over the bundled /openapi.json. The
// validator badge (which calls validator.swagger.io) is off, so the page
// talks to no server but this one.
(function () {
  "use strict";
  var specURL = document.getElementById("api").getAttribute("data-spec");
  window.ui = SwaggerUIBundle({
    url: specURL,
    dom_id: "#api",
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
