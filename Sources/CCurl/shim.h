// libcurl for the Coordination module. curl_easy_setopt and curl_easy_getinfo
// are variadic, which Swift cannot call, so each argument type gets a typed
// inline wrapper here.
#ifndef DMSWITCH_CCURL_SHIM_H
#define DMSWITCH_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*dmswitch_curl_write_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*dmswitch_curl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                               curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode dmswitch_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dmswitch_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dmswitch_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dmswitch_curl_set_headers(CURL *handle, struct curl_slist *headers) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
}

static inline CURLcode dmswitch_curl_set_write_function(CURL *handle, dmswitch_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode dmswitch_curl_set_progress_function(CURL *handle, dmswitch_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline long dmswitch_curl_response_code(CURL *handle) {
    long code = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

#endif
