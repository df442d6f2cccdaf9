/**
 * Styles laid over Swagger UI's own for /api/docs, served as a file (the page's CSP allows no
 * inline style): text and badges that meet WCAG AA contrast, which the stock theme does not.
 */
export const swaggerThemeCss = `
.swagger-ui .info .title small pre,
.swagger-ui .info .title small.version-stamp { background: #3f4a59; }
.swagger-ui .info .title small { background: #3f4a59; }
.swagger-ui .info a, .swagger-ui .info .url { color: #1d4ed8; }
.swagger-ui .opblock .opblock-summary-method { background: #1f2937; color: #fff; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1d4ed8; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #166534; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #9a3412; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #0f766e; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b91c1c; }
.swagger-ui .opblock .opblock-summary-description,
.swagger-ui .opblock .opblock-summary-path,
.swagger-ui .opblock-tag small { color: #1f2937; }
.swagger-ui .btn { color: #1f2937; }
.swagger-ui .btn.authorize { color: #166534; border-color: #166534; }
.swagger-ui .btn.authorize svg { fill: #166534; }
.swagger-ui .scheme-container .schemes > label,
.swagger-ui label, .swagger-ui .parameter__in, .swagger-ui .prop-format,
.swagger-ui .parameter__type, .swagger-ui .response-col_links,
.swagger-ui .model-title, .swagger-ui .model .property.primitive,
.swagger-ui table thead tr th, .swagger-ui table thead tr td { color: #1f2937; }
.swagger-ui .opblock-tag { color: #111827; }
.swagger-ui .model-box-control, .swagger-ui .models-control { color: #1f2937; }
`
