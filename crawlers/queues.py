"""The JOBDIR request queue: Scrapy's pickle disk queue, with a fast way to name callbacks.

Scrapy serialises each queued request with ``Request.to_dict(spider=...)``, which finds the
callback's name by running ``inspect.getmembers`` over the whole spider - twice per request (callback
and errback). On a fast local crawl that was a large share of banwatch's per-page cost, so this
queue looks the method up by its ``__name__`` first and only falls back to Scrapy's search.
"""
from __future__ import annotations

from scrapy.http.request import _find_method
from scrapy.squeues import PickleLifoDiskQueue


def method_name(spider, func) -> str | None:
    if func is None or isinstance(func, str):
        return func
    name = getattr(func, "__name__", None)
    bound = getattr(spider, name, None) if name else None
    if bound is not None and getattr(bound, "__func__", None) is getattr(func, "__func__", object()):
        return name
    return _find_method(spider, func)


class RequestDiskQueue(PickleLifoDiskQueue):
    def push(self, request) -> None:
        callback, errback = request.callback, request.errback
        request_dict = request.replace(callback=None, errback=None).to_dict()
        request_dict["callback"] = method_name(self.spider, callback)
        request_dict["errback"] = method_name(self.spider, errback)
        # Skip PickleLifoDiskQueue.push (it would serialise again, the slow way): pickle to disk.
        super(PickleLifoDiskQueue, self).push(request_dict)
