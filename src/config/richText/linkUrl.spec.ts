import { describe, expect, it } from 'vitest'

import { isSafeLinkUrl } from './linkUrl'

describe('isSafeLinkUrl', () => {
  it.each([
    ['https://example.com/shop?item=1&colour=red#reviews'],
    ['http://example.com'],
    ['HTTPS://EXAMPLE.COM/'],
    ['mailto:shop@example.com?subject=Order%20123'],
    ['tel:+44-20-7946-0000'],
    ['/catalog/chairs'],
    ['chairs/oak'],
    ['./oak.html'],
    ['?page=2'],
    ['#details'],
    ['//cdn.example.com/brochure.pdf'],
    ['/search?q=javascript:alert(1)'],
    ['https://example.com/a%3Ab'],
    [''],
  ])('should accept %j', (url) => expect(isSafeLinkUrl(url)).toBe(true))

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    [' javascript:alert(1)'],
    ['\u0001javascript:alert(1)'],
    ['java\tscript:alert(1)'],
    ['java\nscript:alert(1)'],
    ['java\u200bscript:alert(1)'],
    ['javascript://example.com/%0Aalert(1)'],
    ['vbscript:msgbox(1)'],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['data:image/png;base64,iVBORw0KGgo='],
    ['file:///etc/passwd'],
    ['ftp://example.com/file'],
    ['&#106;avascript:alert(1)'],
    ['&#x6A;avascript:alert(1)'],
    ['&#0000106&#0000097vascript:alert(1)'],
    ['javascript&colon;alert(1)'],
    ['java&Tab;script:alert(1)'],
    ['%6Aavascript:alert(1)'],
    ['javascript%3Aalert(1)'],
    ['%2526%2523106%253Bavascript:alert(1)'],
    ['unknown-scheme:x'],
  ])('should refuse %j', (url) => expect(isSafeLinkUrl(url)).toBe(false))
})
