// GOV.UK Frontend's components (error summary focus, details …); every page works without this.
import { initAll } from './govuk-frontend/govuk-frontend.min.js'
initAll()

// Cost tables, as the officer types: the form as it stands goes to the server, which computes the
// tables with the documents' own code and sends them back. Nothing is computed here, and without
// JavaScript the tables are shown after each save instead.
const form = document.querySelector('form[data-tables-url]')
const tables = document.getElementById('grantdocs-tables')
if (form && tables) {
  let timer
  form.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const response = await fetch(form.dataset.tablesUrl, { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
      if (response.ok) tables.innerHTML = await response.text()
    }, 400)
  })
}
