"""One spider per source kind; the runner looks them up here."""
from crawlers.spiders.federal_register import FederalRegisterSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.gdelt import GdeltSpider
from crawlers.spiders.news_search import NewsSearchSpider
from crawlers.spiders.page import ListingPageSpider
from crawlers.spiders.sitemap import SitemapSpider
from crawlers.spiders.urls import UrlsSpider

# In crawl order: listings that lead to many pages first, plain URL lists last.
SPIDERS = (FeedSpider, NewsSearchSpider, GdeltSpider, FederalRegisterSpider, SitemapSpider, ListingPageSpider,
           UrlsSpider)
SPIDER_FOR_KIND = {spider.kind: spider for spider in SPIDERS}
