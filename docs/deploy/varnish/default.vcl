vcl 4.1;
# Varnish 7 in front of catalog-cms, purged by surrogate key (docs/RUNBOOK.md, "A CDN or Varnish in
# front"). Needs vmod xkey from Debian's varnish-modules (`apt-get install varnish varnish-modules`).
#
#   varnishd -a :6081 -f /etc/varnish/default.vcl -s malloc,1g -p http_gzip_support=off
#
# http_gzip_support=off lets br answers through untouched: the app compresses each answer once and
# gives each encoding its own strong ETag. Left on, Varnish asks for gzip only, which still works.
# Every replica names this Varnish in CACHE_PURGE_URLS (http://<varnish-host>:6081) and gets
# long s-maxage answers; tests/int/edgePurge.int.spec.ts runs this very file.

import xkey;

# One replica here. For several, declare one backend per replica and put them in a round-robin
# director (vmod directors) in vcl_init.
backend default {
    .host = "127.0.0.1";
    .port = "3000";
}

# The hosts of the app's replicas: only they may purge. Anyone else gets a 403.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            # Space-separated surrogate keys: every object tagged with any of them goes.
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Invalidated " + req.http.x-purged + " objects"));
        }
        # No keys: the URL itself, every variant (a deleted media file the app served).
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in requests see their own answers (drafts, admin data): never shared, never stored.
    if (req.http.Authorization || req.http.Cookie) {
        return (pass);
    }
    # One variant per encoding the app can send, not one per browser's Accept-Encoding string.
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b(?!\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$))") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b(?!\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$))") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_backend_response {
    # xkey indexes the object under the keys of this header; the app names them Surrogate-Key.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Only what the app says a shared cache may keep: no Cache-Control (Varnish would guess two
    # minutes), private or no-store answers, and anything setting a cookie are passed through.
    if (!beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Otherwise Varnish's own rules apply: s-maxage (else max-age) is the TTL,
    # stale-while-revalidate the grace.
}

sub vcl_deliver {
    # The keys are for caches; a Cloudflare in front of Varnish reads Cache-Tag, which stays.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    # The app's own X-Cache says whether its memory answered; this says whether Varnish did.
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
}
