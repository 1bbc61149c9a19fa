// svc: a minimal example service; replace it with yours.
//
// It answers /healthz and / on the port in PORT (default 8080) with nothing but the
// standard library. Run with -healthcheck, it asks /healthz of the running service and
// exits 0 when the answer is 200: the image's HEALTHCHECK, as the final stage has no shell or
// HTTP client to run one.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const healthPath = "/healthz"

func main() {
	healthcheck := flag.Bool("healthcheck", false, "exit 0 when the running service is healthy")
	flag.Parse()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if *healthcheck {
		os.Exit(check("http://127.0.0.1:" + port + healthPath))
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == healthPath {
			fmt.Fprintln(w, "ok")
		} else if r.URL.Path == "/" {
			fmt.Fprintln(w, "hello from svc")
		} else {
			http.NotFound(w, r)
		}
	})
	log.Printf("svc listening on port %s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}

// check asks url and returns the exit code of the health check.
func check(url string) int {
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, url, response.Status)
		return 1
	}
	return 0
}
