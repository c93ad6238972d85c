# Entry points: make (deps + build), make test, make cluster / cluster-stop, make bench, make fuzz.
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
PKGS := cmake g++ make libboost-dev libabsl-dev libspdlog-dev catch2 libxxhash-dev \
        redis-server redis-tools python3-redis
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test cluster cluster-stop bench bench-memory bench-cluster fuzz clean

all: build

# Installs only what is missing, so a machine that has everything never touches apt.
deps:
	@missing=$$(for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE opt-in

cluster: build
	@./scripts/cluster.sh start $(BUILD)/tessera-server

cluster-stop:
	@./scripts/cluster.sh stop

bench: build
	/usr/bin/python3 bench/throughput.py $(BUILD)/tessera-server

bench-memory: build
	/usr/bin/python3 bench/memory.py $(BUILD)/tessera-server

bench-cluster: build
	/usr/bin/python3 bench/cluster.py $(BUILD)/tessera-server

fuzz: deps
	@dpkg -s clang >/dev/null 2>&1 || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq clang libclang-rt-14-dev)
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DTESSERA_FUZZ=ON -DBUILD_TESTING=OFF
	cmake --build build-fuzz -j $(JOBS) --target fuzz_resp fuzz_bus fuzz_rdb
	mkdir -p fuzz-out/resp fuzz-out/bus fuzz-out/rdb
	./build-fuzz/fuzz/fuzz_resp -max_total_time=$(FUZZ_SECONDS) fuzz-out/resp tests/data/resp
	./build-fuzz/fuzz/fuzz_bus -max_total_time=$(FUZZ_SECONDS) fuzz-out/bus tests/data/bus
	./build-fuzz/fuzz/fuzz_rdb -max_total_time=$(FUZZ_SECONDS) fuzz-out/rdb tests/data/rdb

clean:
	rm -rf $(BUILD) build-fuzz
