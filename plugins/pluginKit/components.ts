/** React components the plugins' admin fields share (the package's `./components` export). */
export { ReadOnlyTable, wrappedValueStyle } from './components/ReadOnlyTable'
