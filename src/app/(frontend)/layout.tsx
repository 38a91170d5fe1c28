import type React from 'react'

import './styles.css'

export const metadata = {
  title: 'Catalog',
  description: 'The public catalog, served by catalog-cms.',
}

const FrontendLayout = ({ children }: { children: React.ReactNode }) => (
  <html lang="en">
    <body>{children}</body>
  </html>
)

export default FrontendLayout
