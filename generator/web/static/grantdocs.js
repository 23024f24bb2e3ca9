// GOV.UK Frontend's components (error summary focus, details …); every page works without it.
import { initAll } from './govuk-frontend/govuk-frontend.min.js'
initAll()
