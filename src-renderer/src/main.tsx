import { StrictMode, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { Home } from './features/home/Home'
import { subscribeToEvents, useAppStore } from './store/app-store'
import './styles.css'

function App(): React.JSX.Element {
  useEffect(() => {
    const unsubscribe = subscribeToEvents()
    void useAppStore.getState().hydrate()
    return unsubscribe
  }, [])
  return (
    <main className="app">
      <Home />
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
