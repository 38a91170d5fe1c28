/** The sample catalog a newcomer sees on first start. Colours feed the generated images. */
export type SampleItem = {
  name: string
  price: number
  tags: string[]
  summary: string
  isAvailable?: boolean
}

export type SampleCategory = {
  name: string
  description: string
  colors: [string, string]
  items: SampleItem[]
}

export const sampleCategories: SampleCategory[] = [
  {
    name: 'Fresh Fruit',
    description: 'Seasonal fruit, picked ripe.',
    colors: ['#f97316', '#facc15'],
    items: [
      {
        name: 'Honeycrisp Apples',
        price: 499,
        tags: ['seasonal', 'local'],
        summary: 'Crisp, sweet apples sold by the kilo.',
      },
      {
        name: 'Blood Oranges',
        price: 650,
        tags: ['citrus'],
        summary: 'Deep red flesh and a raspberry note.',
      },
      {
        name: 'Alphonso Mangoes',
        price: 1299,
        tags: ['imported'],
        summary: 'A box of six, ready to eat.',
        isAvailable: false,
      },
    ],
  },
  {
    name: 'Bakery',
    description: 'Baked every morning.',
    colors: ['#a16207', '#fde68a'],
    items: [
      {
        name: 'Sourdough Loaf',
        price: 750,
        tags: ['vegan'],
        summary: 'Long-fermented country loaf.',
      },
      {
        name: 'Butter Croissant',
        price: 325,
        tags: ['pastry'],
        summary: 'Laminated with cultured butter.',
      },
      {
        name: 'Rye Crackers',
        price: 480,
        tags: ['vegan', 'snack'],
        summary: 'Thin, seeded and crunchy.',
      },
    ],
  },
  {
    name: 'Pantry',
    description: 'Staples that keep.',
    colors: ['#15803d', '#bbf7d0'],
    items: [
      {
        name: 'Extra Virgin Olive Oil',
        price: 1850,
        tags: ['imported'],
        summary: 'Cold-pressed, 750 ml.',
      },
      {
        name: 'Wildflower Honey',
        price: 1100,
        tags: ['local'],
        summary: 'Raw and unfiltered, 500 g.',
      },
      { name: 'Arborio Rice', price: 575, tags: [], summary: 'For creamy risotto, 1 kg.' },
    ],
  },
  {
    name: 'Coffee & Tea',
    description: 'Roasted and blended in small batches.',
    colors: ['#4c1d95', '#ddd6fe'],
    items: [
      {
        name: 'House Espresso Beans',
        price: 1600,
        tags: ['coffee'],
        summary: 'Chocolate and cherry, 500 g.',
      },
      { name: 'Sencha Green Tea', price: 900, tags: ['tea'], summary: 'First flush, 100 g.' },
      {
        name: 'Chai Spice Blend',
        price: 750,
        tags: ['tea', 'spice'],
        summary: 'Cardamom, ginger and clove.',
      },
    ],
  },
]
