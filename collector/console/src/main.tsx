import { render } from 'preact'
import { App } from './app'
import { adoptTokenFromFragment } from './session'
import './styles.css'

adoptTokenFromFragment()
const root = document.getElementById('app')
if (root) render(<App />, root)
